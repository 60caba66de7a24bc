import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { healthRoute, metricsRoute } from './common-routes.js';
import { parseUrl, securityHeaders, sendJson, sendMethodNotAllowed } from './respond.js';
import { authBeforeCors, chatStreamPost } from './rag-post.js';
import { chatStream, STREAM_PATH, type StreamOptions } from './rag-stream.js';

/**
 * The RAG backend's CORS (FastAPI CORSMiddleware with allow_origins=[origin], allow_credentials=True):
 * the exact origin, with credentials for a fetch() stream that sends them; the preflight allows
 * the POST stream's Authorization and JSON Content-Type (R-REQ-4).
 */
function ragCors(req: IncomingMessage, res: ServerResponse, options: StreamOptions): boolean {
  res.setHeader('vary', 'Origin');
  // Fault rag-wildcard: allow_origins=["*"], as the production RAG was seen answering.
  const wildcard = options.faults.has('rag-wildcard');
  const allowed = wildcard || req.headers.origin === options.origin;
  if (allowed) res.setHeader('access-control-allow-origin', wildcard ? '*' : options.origin);
  // Starlette sends it with an explicit origin only: with `*` it would never work anyway (R-CHK-3).
  if (allowed && !wildcard) res.setHeader('access-control-allow-credentials', 'true');
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    if (allowed) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      const headers = options.faults.has('preflight-no-auth-header') ? 'Content-Type, Cache-Control, Last-Event-ID' : 'Authorization, Content-Type, Cache-Control, Last-Event-ID';
      res.setHeader('access-control-allow-headers', headers);
      res.setHeader('access-control-max-age', '600');
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  }
  return false;
}

/**
 * Fault max-streams=N: a concurrency limit in front of the stream route, as uvicorn
 * --limit-concurrency answers 503 beyond it. It counts the streams it let through until their
 * response closes (the same count as the sse_active_streams gauge, read synchronously); without
 * the fault it admits everything and costs nothing per stream.
 */
function streamLimit(options: StreamOptions): (res: ServerResponse) => boolean {
  if (!options.faults.has('max-streams')) return () => true;
  const limit = options.faults.number('max-streams', 100);
  let open = 0;
  const release = () => void open--;
  return (res) => {
    if (open >= limit) {
      sendJson(res, 503, { detail: `server at capacity: ${limit} streams open` });
      return false;
    }
    open++;
    res.once('close', release);
    return true;
  };
}

export function createRag(options: StreamOptions): Server {
  const admit = streamLimit(options);
  return createServer((req, res) => {
    if (options.faults.has('rag-auth-before-cors') && authBeforeCors(req, res, STREAM_PATH)) return;
    if (ragCors(req, res, options)) return;
    securityHeaders(res);
    const url = parseUrl(req);
    if (!url) return sendJson(res, 400, { detail: 'bad request target' });
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (url.pathname === '/health' && read) return healthRoute(res, options);
    if (url.pathname === '/metrics' && read) return void metricsRoute(res, options);
    if (url.pathname === STREAM_PATH && req.method === 'GET') {
      if (admit(res)) chatStream(req, res, url, options);
      return;
    }
    if (url.pathname === STREAM_PATH && req.method === 'POST') {
      return void chatStreamPost(req, res, url, (asGet) => admit(res) && chatStream(req, res, asGet, options));
    }
    // As FastAPI answers a route asked with another method: 405, not 404.
    if (url.pathname === STREAM_PATH) return sendMethodNotAllowed(res, 'GET, POST', { detail: 'method not allowed' });
    if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(req.method ?? '')) return sendMethodNotAllowed(res, 'GET, HEAD, POST, OPTIONS', { detail: 'method not allowed' });
    sendJson(res, 404, { detail: 'not found' });
  });
}
