import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** RFC 9110 §15.5.6: a 405 names the methods the resource does support. */
export function sendMethodNotAllowed(res: ServerResponse, allow: string, body: unknown): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, body);
}

/**
 * Requests Node's parser rejects before any handler runs (a head over 16 KiB, an unknown method,
 * bad syntax) get the 4xx Node itself would send, never a silent hang-up; a client already gone
 * gets nothing.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/** Requests with a target we cannot even parse get a 400, never a crash. */
export function parseUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://reference.invalid');
  } catch {
    return undefined;
  }
}

/** Security headers, as helmet-style middleware sets them (after CORS in the clean contract), as name, value pairs. */
export const SECURITY_HEADERS: readonly string[] = [
  'x-content-type-options',
  'nosniff',
  'x-frame-options',
  'DENY',
  'referrer-policy',
  'no-referrer',
  'cross-origin-resource-policy',
  'cross-origin',
];

export function securityHeaders(res: ServerResponse): void {
  for (let i = 0; i < SECURITY_HEADERS.length; i += 2) res.setHeader(SECURITY_HEADERS[i] as string, SECURITY_HEADERS[i + 1] as string);
}
