/**
 * Where a fetch() stream is judged differently from EventSource (docs/checks.md, "fetch vs
 * EventSource"): the page's reader does not gate on the Content-Type, reads NDJSON as well as SSE,
 * and nothing reconnects by itself.
 */
import type { Finding } from '../../core/finding.js';
import { extractMimeEssence } from '../../fetch/mime.js';
import { show, skip, verdict, type StreamContext } from './context.js';

const ID = 'sse.content-type';

/** Content types NDJSON is served under (application/x-ndjson is the common one; JSON Lines has its own names). */
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines'];

/** `sse.content-type` for a fetch() stream: the framing's type, though the reader itself does not check it. */
export function judgeFetchContentType(ctx: StreamContext): Finding {
  const format = ctx.obs.format ?? 'sse';
  const wanted = format === 'ndjson' ? NDJSON_TYPES : ['text/event-stream'];
  const title = `answer stream is ${wanted[0]} (${format === 'ndjson' ? 'NDJSON' : 'SSE'} read with fetch())`;
  const res = ctx.obs.response;
  if (res?.status !== 200) return skip(ctx, ID, title, ctx.noStream ?? 'no 200 response');
  const value = res.headers['content-type'];
  const essence = extractMimeEssence(value);
  const evidence = { 'content-type': value ?? null, format, accepted: wanted };
  if (essence !== undefined && wanted.includes(essence))
    return verdict(ctx, ID, { status: 'pass', title, expected: wanted.join(' or '), observed: `Content-Type: ${value}`, evidence });
  return verdict(ctx, ID, {
    status: 'fail',
    title,
    expected: `Content-Type: ${wanted[0]}`,
    observed: `${value === undefined ? 'no Content-Type' : `Content-Type: ${value}`}${res.bodyExcerpt ? ` with body ${show(res.bodyExcerpt)}` : ''}`,
    remedy: `send Content-Type: ${wanted[0]}: the page's reader does not check it, but compression and buffering layers decide by it (text/event-stream is left unbuffered by nginx, Cloudflare and Starlette GZipMiddleware; text/plain and JSON get compressed and held), and a client that checks the type refuses the stream`,
    evidence,
  });
}

/** `sse.reconnect` for a fetch() stream: nothing reconnects; what ends the stream is the app's business. */
export function judgeFetchReconnect(ctx: StreamContext): Finding {
  return skip(
    ctx,
    'sse.reconnect',
    'what the browser does when this stream ends',
    'fetch() does not reconnect: when the stream ends without done the page must retry by itself (EventSource would reconnect); sse.disconnect.cleanup judges the abort',
  );
}
