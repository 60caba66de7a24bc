/**
 * POST /bali-zero/chat-stream with a JSON body `{"query": "..."}` and `Authorization: Bearer
 * <token>`: the answer stream as the production RAG serves it to fetch(). It answers what the GET
 * answers (same stream, same faults), after checking what only a POST has: the token and the body.
 * Errors are FastAPI-style JSON, and carry the CORS headers set before routing, so a page can read
 * a 401 (R-CHK-8).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

/** A question is a few KB at most; a larger body is refused before it is buffered. */
const MAX_BODY_BYTES = 64 * 1024;
/** A client that stalls mid-body does not hold the handler. */
const BODY_DEADLINE_MS = 10_000;

/** Read the JSON body; on a bad request the response is sent and undefined returned. */
function readBody(req: IncomingMessage, res: ServerResponse, decorate: () => void): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (status: number, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      decorate();
      res.setHeader('connection', 'close');
      sendJson(res, status, { detail });
      resolve(undefined);
    };
    const timer = setTimeout(() => fail(408, 'request body not received in time'), BODY_DEADLINE_MS);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) return fail(413, `request body over ${MAX_BODY_BYTES} bytes`);
      if (!settled) chunks.push(c);
    });
    req.on('error', () => fail(400, 'request body could not be read'));
    req.on('end', () => {
      if (settled) return;
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        settled = true;
        clearTimeout(timer);
        resolve(body);
      } catch {
        fail(422, 'body must be JSON: {"query": "..."}');
      }
    });
  });
}

const hasBearer = (req: IncomingMessage) => /^Bearer \S+/i.test(String(req.headers.authorization ?? ''));

/**
 * Fault `rag-auth-before-cors`: an auth dependency runs before the RAG's CORS middleware, so the
 * stream's preflight (which never carries the token, R-REQ-5) and a POST without a token get a
 * 401 with no CORS headers. True when it answered.
 */
export function authBeforeCors(req: IncomingMessage, res: ServerResponse, streamPath: string): boolean {
  if ((req.url ?? '').split('?')[0] !== streamPath || (req.method !== 'OPTIONS' && req.method !== 'POST') || hasBearer(req)) return false;
  req.resume();
  sendJson(res, 401, { detail: 'Not authenticated' });
  return true;
}

/**
 * Check the token and the body, then hand the question to `stream` (the GET handler), so both
 * methods serve one answer. The token is checked before the body is read: no work for strangers.
 * `decorate` sets the CORS and security headers on an error answer (a stream writes its own head).
 */
export async function chatStreamPost(req: IncomingMessage, res: ServerResponse, url: URL, decorate: () => void, stream: (url: URL) => void): Promise<void> {
  if (!hasBearer(req)) {
    decorate();
    res.setHeader('www-authenticate', 'Bearer');
    req.resume();
    return sendJson(res, 401, { detail: 'Not authenticated' });
  }
  const body = await readBody(req, res, decorate);
  if (body === undefined) return;
  const query = typeof body === 'object' && body !== null && 'query' in body ? (body as { query: unknown }).query : undefined;
  if (typeof query !== 'string') {
    decorate();
    return sendJson(res, 422, { detail: 'body.query must be a string' });
  }
  const asGet = new URL(url);
  asGet.searchParams.set('query', query);
  stream(asGet);
}
