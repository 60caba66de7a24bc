import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { healthRoute, metricsRoute } from './common-routes.js';
import { parseUrl, SECURITY_HEADERS, securityHeaders, sendJson, sendMethodNotAllowed } from './respond.js';
import { authBeforeCors, chatStreamPost } from './rag-post.js';
import { chatStream, prepareStreamRoute, STREAM_PATH, type StreamOptions } from './rag-stream.js';

/**
 * The RAG backend's CORS (FastAPI CORSMiddleware with allow_origins=[origin], allow_credentials=True):
 * the exact origin, with credentials for a fetch() stream that sends them; the preflight allows
 * the POST stream's Authorization and JSON Content-Type (R-REQ-4).
 */
function ragCors(req: IncomingMessage, res: ServerResponse, options: StreamOptions): boolean {
  res.setHeader('vary', 'Origin');
  const allowed = originAllowed(req, options);
  if (allowed) res.setHeader('access-control-allow-origin', allowOriginValue(options));
  // Starlette sends it with an explicit origin only: with `*` it would never work anyway (R-CHK-3).
  if (allowed && !options.faults.has('rag-wildcard')) res.setHeader('access-control-allow-credentials', 'true');
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

// Fault rag-wildcard: allow_origins=["*"], as the production RAG was seen answering.
const allowOriginValue = (options: StreamOptions) => (options.faults.has('rag-wildcard') ? '*' : options.origin);
const originAllowed = (req: IncomingMessage, options: StreamOptions) => options.faults.has('rag-wildcard') || req.headers.origin === options.origin;

/** The same CORS and security headers as name, value pairs, for a stream's head (no header map per response). */
function ragHeadBase(options: StreamOptions): (allowed: boolean) => string[] {
  const credentials = options.faults.has('rag-wildcard') ? [] : ['access-control-allow-credentials', 'true'];
  return (allowed) => ['vary', 'Origin', ...(allowed ? ['access-control-allow-origin', allowOriginValue(options), ...credentials] : []), ...SECURITY_HEADERS];
}

/**
 * Fault max-streams=N: a concurrency limit in front of the stream route, as uvicorn
 * --limit-concurrency answers 503 beyond it. It counts the streams it let through until their
 * response closes (the same count as the sse_active_streams gauge, read synchronously); without
 * the fault it admits everything and costs nothing per stream.
 */
function streamLimit(options: StreamOptions): (res: ServerResponse, decorate: () => void) => boolean {
  if (!options.faults.has('max-streams')) return () => true;
  const limit = options.faults.number('max-streams', 100);
  let open = 0;
  const release = () => void open--;
  return (res, decorate) => {
    if (open >= limit) {
      decorate();
      sendJson(res, 503, { detail: `server at capacity: ${limit} streams open` });
      return false;
    }
    open++;
    res.once('close', release);
    return true;
  };
}

const ROUTES = new Set(['/health', '/metrics', STREAM_PATH]);

export function createRag(options: StreamOptions): Server {
  const admit = streamLimit(options);
  const stream = prepareStreamRoute(options, ragHeadBase(options));
  const authFirst = options.faults.has('rag-auth-before-cors');
  return createServer((req, res) => {
    // Fault rag-auth-before-cors: the auth dependency answers the stream's preflight and tokenless POST first.
    if (authFirst && authBeforeCors(req, res, STREAM_PATH)) return;
    // The answer stream first (GET, or the fetch() POST): its head is written whole, without a header map per response.
    if (req.method === 'GET' || req.method === 'POST') {
      const url = parseUrl(req);
      if (url?.pathname === STREAM_PATH) {
        const decorate = () => void (ragCors(req, res, options), securityHeaders(res));
        const open = (at: URL) => void (admit(res, decorate) && chatStream(req, res, at, options, stream, originAllowed(req, options), decorate));
        if (req.method === 'GET') open(url);
        else void chatStreamPost(req, res, url, decorate, open);
        return;
      }
    }
    const url = parseUrl(req);
    // Fault cors-routes-only: CORSMiddleware only on the app's routes, so the 404 of any other path has none.
    const corsHere = !options.faults.has('cors-routes-only') || (url !== undefined && ROUTES.has(url.pathname));
    if (corsHere && ragCors(req, res, options)) return;
    securityHeaders(res);
    if (!url) return sendJson(res, 400, { detail: 'bad request target' });
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (url.pathname === '/health' && read) return healthRoute(res, options);
    if (url.pathname === '/metrics' && read) return void metricsRoute(res, options);
    // As FastAPI answers a route asked with another method: 405, not 404.
    if (url.pathname === STREAM_PATH) return sendMethodNotAllowed(res, 'GET, POST', { detail: 'method not allowed' });
    if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(req.method ?? '')) return sendMethodNotAllowed(res, 'GET, HEAD, POST, OPTIONS', { detail: 'method not allowed' });
    sendJson(res, 404, { detail: 'not found' });
  });
}
