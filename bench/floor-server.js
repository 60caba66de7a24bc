// The floors for the reference server's capacity (bench/server-capacity.bench.js):
//   node bench/floor-server.js http   node:http, each request answered with an event-stream head and one comment, held open
//   node bench/floor-server.js net    node:net, no HTTP parser: reads the request, writes a fixed head and one comment, held open
// Prints one JSON line {rag} when listening; exits when stdin closes. Same backlog as the reference (4096).
import { createServer as createHttp } from 'node:http';
import { createServer as createNet } from 'node:net';

const kind = process.argv[2] ?? 'http';
const HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n';
const COMMENT = ': ok\n\n';
const chunk = `${COMMENT.length.toString(16)}\r\n${COMMENT}\r\n`;
const server =
  kind === 'net'
    ? createNet((socket) => {
        socket.once('data', () => socket.write(HEAD + chunk));
        socket.on('error', () => socket.destroy());
      })
    : createHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(COMMENT);
      });
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  console.log(JSON.stringify({ rag: `http://127.0.0.1:${server.address().port}` }));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
