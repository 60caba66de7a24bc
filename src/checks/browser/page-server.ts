import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

export interface PageServer {
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>zantara-audit browser check</title><p>zantara-audit: running the web app\'s calls</p>';

/** A document in a sandboxed iframe has an opaque origin, so its requests carry `Origin: null`. */
const NULL_PAGE = '<!doctype html><meta charset="utf-8"><title>zantara-audit browser check</title><iframe name="null-origin" sandbox="allow-scripts" src="/frame"></iframe>';
const FRAME = '<!doctype html><meta charset="utf-8"><title>zantara-audit sandboxed frame</title>';

function page(res: ServerResponse, html: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.url === '/null-origin') return page(res, NULL_PAGE);
  if (req.method === 'GET' && req.url === '/frame') return page(res, FRAME);
  if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
    return;
  }
  // favicon and anything else: nothing to serve, and nothing that could add console noise but a 404.
  res.writeHead(404, { 'content-length': '0' });
  res.end();
}

/**
 * The pages Chromium believes are the configured origin, the foreign one and every probe origin:
 * host-resolver rules send those host names here. One loopback port for every page, http and https alike: the first byte of a connection says
 * which (0x16 opens a TLS handshake). Host-resolver rules map a host name to one port whatever
 * the scheme or port of the URL, and the probe origins use both schemes for the same host
 * (`downgrade`) and other ports (`port`).
 */
export function startDualPageServer(tls?: { cert: Buffer; key: Buffer }): Promise<PageServer> {
  const plain = createHttpServer(handle);
  const secure = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : undefined;
  const sockets = new Set<Socket>();
  for (const server of [plain, secure]) server?.on('clientError', (_err, socket) => socket.destroy());
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 && secure ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => {
      resolve({
        port: (front.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            front.close(() => done());
          }),
      });
    });
  });
}
