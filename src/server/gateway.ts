import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { VERSION } from '../version.js';
import { authBeforeCors, gatewayCors } from './gateway-cors.js';
import { healthRoute, metricsRoute } from './common-routes.js';
import type { ServiceOptions } from './service.js';
import { parseUrl, securityHeaders, sendJson, sendMethodNotAllowed } from './respond.js';

const MAX_BODY = 64 * 1024;
const ROUTES = new Set(['/health', '/metrics', '/api/chat']);

/** The reference gateway: CORS first, then security headers, then routes (the Express order of the contract). */
export function createGateway(options: ServiceOptions): Server {
  return createServer((req, res) => {
    const url = parseUrl(req);
    if (url && options.faults.has('cors-after-security') && authBeforeCors(req, res, url)) return;
    // Fault cors-routes-only: CORS mounted on the app's routes (app.use('/api', cors())), so the 404 of any other path has none.
    const corsHere = !options.faults.has('cors-routes-only') || (url !== undefined && ROUTES.has(url.pathname));
    if (corsHere && gatewayCors(req, res, options.origin, options.faults)) return;
    securityHeaders(res);
    if (!url) return sendJson(res, 400, { error: 'bad request target' });
    route(req, res, url, options);
  });
}

function route(req: IncomingMessage, res: ServerResponse, url: URL, options: ServiceOptions): void {
  if (url.pathname === '/health' && isRead(req)) return healthRoute(res, options);
  if (url.pathname === '/metrics' && isRead(req)) return void metricsRoute(res, options);
  // No OPTIONS routes: only a preflight the CORS layer let through gets here (fault no-preflight).
  if (req.method === 'OPTIONS') return sendJson(res, 404, { error: 'not found' });
  if (url.pathname === '/api/chat') {
    if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST', { error: 'method not allowed' });
    return chat(req, res);
  }
  if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(req.method ?? '')) return sendMethodNotAllowed(res, 'GET, HEAD, POST, OPTIONS', { error: 'method not allowed' });
  sendJson(res, 404, { error: 'not found' });
}

const isRead = (req: IncomingMessage) => req.method === 'GET' || req.method === 'HEAD';

/** POST /api/chat: authenticated JSON in, JSON out; 401 (with CORS headers) without a bearer token. */
function chat(req: IncomingMessage, res: ServerResponse): void {
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    req.resume();
    return sendJson(res, 401, { error: 'missing bearer token' });
  }
  let size = 0;
  const parts: Buffer[] = [];
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      sendJson(res, 413, { error: 'body too large' });
      req.destroy();
    } else parts.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    try {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { query?: unknown };
      sendJson(res, 200, { answer: `echo: ${String(body.query ?? '')}`, version: VERSION });
    } catch {
      sendJson(res, 400, { error: 'body must be JSON' });
    }
  });
}
