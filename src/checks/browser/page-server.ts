import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  port: number;
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>zantara-audit browser check</title><p>zantara-audit: running the web app\'s calls</p>';

function handle(req: IncomingMessage, res: ServerResponse): void {
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
 * The page Chromium believes is the configured origin: host-resolver rules send that host name
 * to this loopback port. Plain HTTP, or TLS with the throwaway certificate for an https origin.
 */
export function startPageServer(tls?: { cert: Buffer; key: Buffer }): Promise<PageServer> {
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handle) : createHttpServer(handle);
  server.keepAliveTimeout = 1000;
  server.on('clientError', (_err, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
