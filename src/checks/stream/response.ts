/**
 * The response gate a browser applies before parsing (HTML §9.2.2 constructor steps 14–19) and
 * the headers that decide whether a proxy streams or buffers (docs/browser-rules.md P-1 to P-4).
 */
import { extractMimeEssence } from '../../fetch/mime.js';
import type { Finding } from '../../core/finding.js';
import { noResponse } from '../../core/verdicts.js';
import { show, skip, verdict, type StreamContext } from './context.js';
import { judgeFetchContentType } from './fetch-rules.js';

const ACCEPTED = '200 with Content-Type: text/event-stream';

export function judgeStatus(ctx: StreamContext): Finding {
  const { obs } = ctx;
  const res = obs.response;
  const title = 'answer stream answers 200';
  if (!res) {
    return noResponse('sse.status', title, obs, {
      expected: ACCEPTED,
      remedy: obs.unreachable ? 'check the URL and that the RAG service is up and reachable from here' : 'see the transport error above',
    });
  }
  const body = res.bodyExcerpt ? ` ${show(res.bodyExcerpt)}` : '';
  if (res.status === 200) return verdict(ctx, 'sse.status', { status: 'pass', title, expected: '200', observed: '200' });
  return verdict(ctx, 'sse.status', {
    status: 'fail',
    title,
    expected: '200',
    observed: `${res.status}${body}`,
    remedy:
      ctx.obs.transport === 'fetch'
        ? `answer 200 with the stream; on ${res.status} the page's fetch() resolves with response.ok false and its reader gets no answer${res.status === 401 || res.status === 403 ? ' (the audit sends the token given with --header "Authorization: Bearer …" or the config\'s headers)' : ''}`
        : res.status === 204
          ? '204 tells EventSource to stop reconnecting (§9.2.1): use it only to refuse a reconnect, never for an answer'
          : `answer 200 with the stream; on ${res.status} EventSource fails the connection for good (readyState CLOSED, no reconnect), so the web app must retry by itself`,
    evidence: { rule: 'HTML §9.2.2 step 18: any status but 200 fails the connection (WPT request-status-error)' },
  });
}

export function judgeContentType(ctx: StreamContext): Finding {
  if (ctx.obs.transport === 'fetch') return judgeFetchContentType(ctx);
  const title = 'answer stream is text/event-stream';
  const res = ctx.obs.response;
  if (res?.status !== 200) return skip(ctx, 'sse.content-type', title, ctx.noStream ?? 'no 200 response');
  const value = res.headers['content-type'];
  const essence = extractMimeEssence(value);
  const evidence = { 'content-type': value ?? null, rule: 'HTML §9.2.2 step 18: the MIME type essence must be text/event-stream' };
  if (essence !== 'text/event-stream') {
    return verdict(ctx, 'sse.content-type', {
      status: 'fail',
      title,
      expected: 'Content-Type: text/event-stream',
      observed: `${value === undefined ? 'no Content-Type' : `Content-Type: ${value}`}${res.bodyExcerpt ? ` with body ${show(res.bodyExcerpt)}` : ''}`,
      remedy:
        'send Content-Type: text/event-stream (FastAPI: StreamingResponse(..., media_type="text/event-stream")); otherwise EventSource fails the connection and never reconnects',
      evidence,
    });
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(value ?? '')?.[1];
  if (charset && charset.toLowerCase() !== 'utf-8') {
    return verdict(ctx, 'sse.content-type', {
      status: 'warn',
      title,
      expected: 'text/event-stream (UTF-8)',
      observed: `Content-Type: ${value}`,
      remedy: `drop charset=${charset}: browsers ignore it and always decode the stream as UTF-8 (§9.2.5), so the body must be UTF-8`,
      evidence,
    });
  }
  return verdict(ctx, 'sse.content-type', { status: 'pass', title, expected: 'text/event-stream', observed: `Content-Type: ${value}`, evidence });
}

export function judgeCacheControl(ctx: StreamContext): Finding {
  const title = 'answer stream is not cacheable';
  const res = ctx.accepted;
  if (!res) return skip(ctx, 'sse.cache-control', title, ctx.noStream ?? 'no stream response');
  const value = res.headers['cache-control'];
  const directives = (value ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim().split('=')[0]);
  if (directives.includes('no-cache') || directives.includes('no-store')) {
    return verdict(ctx, 'sse.cache-control', { status: 'pass', title, expected: 'Cache-Control: no-cache', observed: `Cache-Control: ${value}` });
  }
  return verdict(ctx, 'sse.cache-control', {
    status: 'warn',
    title,
    expected: 'Cache-Control: no-cache',
    observed: value === undefined ? 'no Cache-Control' : `Cache-Control: ${value}`,
    remedy: 'send Cache-Control: no-cache (add no-transform to keep proxies from compressing or rewriting the stream)',
  });
}

export function judgeContentEncoding(ctx: StreamContext): Finding {
  const title = 'answer stream is not compressed';
  const res = ctx.accepted;
  if (!res) return skip(ctx, 'sse.content-encoding', title, ctx.noStream ?? 'no stream response');
  const value = res.headers['content-encoding'];
  const sent = Object.entries(ctx.obs.request.headers).find(([k]) => k.toLowerCase() === 'accept-encoding')?.[1];
  const evidence = { 'content-encoding': value ?? null, 'request accept-encoding': sent ?? null, vary: res.headers.vary ?? null };
  if (value === undefined || value.trim().toLowerCase() === 'identity') {
    return verdict(ctx, 'sse.content-encoding', { status: 'pass', title, expected: 'no Content-Encoding', observed: 'no Content-Encoding', evidence });
  }
  return verdict(ctx, 'sse.content-encoding', {
    status: 'warn',
    title,
    expected: 'no Content-Encoding on text/event-stream',
    observed: `Content-Encoding: ${value}`,
    remedy:
      'exclude text/event-stream from compression: a compressor holds events until its window fills (Starlette GZipMiddleware skips it from 0.46.0; Express compression needs res.flush() per event; nginx: gzip off for this location); sse.buffering shows whether events arrived late',
    evidence,
  });
}

export function judgeContentLength(ctx: StreamContext): Finding {
  const title = 'answer stream has no Content-Length';
  const res = ctx.accepted;
  if (!res) return skip(ctx, 'sse.content-length', title, ctx.noStream ?? 'no stream response');
  const value = res.headers['content-length'];
  const evidence = { 'transfer-encoding': res.headers['transfer-encoding'] ?? null };
  if (value === undefined) {
    return verdict(ctx, 'sse.content-length', { status: 'pass', title, expected: 'no Content-Length', observed: 'no Content-Length', evidence });
  }
  return verdict(ctx, 'sse.content-length', {
    status: 'fail',
    title,
    expected: 'no Content-Length (chunked or close-delimited)',
    observed: `Content-Length: ${value}`,
    remedy: 'do not set Content-Length on a stream: the response gets buffered whole, 0 empties it, a wrong length hangs the client (on HTTP/2 it is a protocol error)',
    evidence,
  });
}
