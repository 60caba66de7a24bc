import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';

export const ALLOWED_METHODS = 'GET, POST, OPTIONS';
export const ALLOWED_HEADERS = 'Content-Type, Authorization';
export const MAX_AGE = '600';

/**
 * The gateway's CORS middleware (Express `cors({origin, credentials: true})` equivalent): the
 * allowed origin is echoed with credentials, `Vary: Origin` always, and a preflight is answered
 * 204 here, before any security or auth layer can see it. Returns true when it answered.
 */
export function gatewayCors(req: IncomingMessage, res: ServerResponse, allowedOrigin: string, _faults: Faults): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  const allowed = origin === allowedOrigin;
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'X-Request-Id');
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    if (allowed) {
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', MAX_AGE);
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  }
  return false;
}
