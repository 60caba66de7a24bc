import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { healthRoute, metricsRoute } from './common-routes.js';
import { parseUrl, securityHeaders, sendJson } from './respond.js';
import { chatStream, STREAM_PATH, type StreamOptions } from './rag-stream.js';

/**
 * The RAG backend's CORS (FastAPI CORSMiddleware with allow_origins=[origin]): the exact origin,
 * no credentials needed, since the app opens the stream with withCredentials: false.
 */
function ragCors(req: IncomingMessage, res: ServerResponse, options: StreamOptions): boolean {
  res.setHeader('vary', 'Origin');
  // Fault rag-wildcard: allow_origins=["*"], as the production RAG was seen answering.
  const wildcard = options.faults.has('rag-wildcard');
  const allowed = wildcard || req.headers.origin === options.origin;
  if (allowed) res.setHeader('access-control-allow-origin', wildcard ? '*' : options.origin);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    if (allowed) {
      res.setHeader('access-control-allow-methods', 'GET, OPTIONS');
      res.setHeader('access-control-allow-headers', 'Content-Type, Cache-Control, Last-Event-ID');
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  }
  return false;
}

export function createRag(options: StreamOptions): Server {
  return createServer((req, res) => {
    if (ragCors(req, res, options)) return;
    securityHeaders(res);
    const url = parseUrl(req);
    if (!url) return sendJson(res, 400, { detail: 'bad request target' });
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (url.pathname === '/health' && read) return healthRoute(res, options);
    if (url.pathname === '/metrics' && read) return void metricsRoute(res, options);
    if (url.pathname === STREAM_PATH && req.method === 'GET') return chatStream(req, res, url, options);
    if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(req.method ?? '')) return sendJson(res, 405, { detail: 'method not allowed' });
    sendJson(res, 404, { detail: 'not found' });
  });
}
