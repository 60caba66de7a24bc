// The floors the reference server is measured against (bench/README.md):
//   node bench/floor-server.js http    node:http, each request answered with an event-stream head and one comment, held open
//   node bench/floor-server.js net     node:net, no HTTP parser: reads the request, writes a fixed head and one comment, held open
//   node bench/floor-server.js paced   node:http streaming the reference's answer at its pace (the metadata event at once,
//                                      the first token after 500 ms, then one event every 50 ± 15 ms: 64 events), one
//                                      setTimeout and one res.write per event, nothing else; /metrics is prom-client's
//                                      default metrics (event-loop lag sampled every 1 ms, as the reference does) and the
//                                      active-streams gauge. The least a Node service can do to serve that contract.
// Prints one JSON line {gateway, rag} when listening; exits when stdin closes. Same backlog as the reference (4096).
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
    : createHttp(
        kind === 'paced' ? await pacedHandler() : (_req, res) => (res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }), res.write(COMMENT)),
      );
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(JSON.stringify({ gateway: url, rag: url }));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

async function pacedHandler() {
  const { collectDefaultMetrics, Gauge, Registry } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1 });
  const active = new Gauge({ name: 'sse_active_streams', help: 'open answer streams', registers: [registry] });
  const words = 'Bali is an island province of Indonesia; foreign founders set up a PT PMA, apply for a KITAS and register with OSS before they hire or invoice. '.split(' ');
  const events = [
    '{"type":"metadata","data":{"query":"hello","model":"floor","tokens":61}',
    ...Array.from({ length: 61 }, (_, i) => `{"type":"token","data":"${words[i % words.length]} "`),
    '{"type":"sources","data":[{"title":"KITAS guide","url":"https://zantara.balizero.com/docs/kitas"},{"title":"PT PMA setup","url":"https://zantara.balizero.com/docs/pt-pma"}]',
    '{"type":"done","data":null',
  ];
  const stamp = () => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
  return (req, res) => {
    if (req.url === '/metrics') return void registry.metrics().then((text) => res.end(text));
    if (!req.url.startsWith('/bali-zero/chat-stream')) return void res.end('{"status":"ok"}');
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    active.inc();
    let i = 0;
    let timer;
    const done = () => (clearTimeout(timer), active.dec());
    res.once('close', () => i < events.length && done());
    const emit = () => {
      res.write(`id: ${i + 1}\ndata: ${events[i]},"t":${stamp()}}\n\n`);
      if (++i === events.length) return void (done(), res.end());
      timer = setTimeout(emit, i === 1 ? 500 : 35 + Math.random() * 30);
    };
    emit();
  };
}
