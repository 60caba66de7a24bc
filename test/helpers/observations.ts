/**
 * Observation builders for rule tests: the plain records the probes produce (HTTP exchanges and
 * answer streams), with defaults a test overrides only where its case differs.
 */
import type { StreamObservation } from '../../src/checks/stream/index.js';
import type { HttpObservation, RawHeaders, TransportError } from '../../src/http/types.js';
import { createStreamReader } from '../../src/sse/reader.js';
import type { StreamEnd } from '../../src/sse/types.js';

const STARTED_AT = '2025-01-01T00:00:00.000Z';
const lowerCased = (raw: RawHeaders) => Object.fromEntries(raw.map(([n, v]) => [n.toLowerCase(), v.trim()]));

export interface HttpShape {
  target?: HttpObservation['target'];
  purpose?: string;
  method?: string;
  url?: string;
  requestHeaders?: Record<string, string>;
  status?: number;
  /** Header lines as received. */
  headers?: RawHeaders;
  body?: string;
  totalMs?: number;
  /** Default: the smaller of totalMs and 10. */
  ttfbMs?: number;
  /** No response: the transport error instead. */
  error?: TransportError;
  /** Default: true exactly when `error` is given. */
  unreachable?: boolean;
}

/** One HTTP exchange as `HttpClient.send` records it: answered, or (with `error`) not. */
export function httpObservation(s: HttpShape = {}): HttpObservation {
  const totalMs = s.totalMs ?? 10;
  const body = s.body ?? '';
  const raw = s.headers ?? [];
  return {
    kind: 'http',
    purpose: s.purpose ?? 'test',
    target: s.target ?? 'gateway',
    request: { method: s.method ?? 'GET', url: s.url ?? 'http://127.0.0.1:1/health', headers: s.requestHeaders ?? {} },
    ...(s.error
      ? { error: s.error }
      : { response: { status: s.status ?? 200, headers: lowerCased(raw), rawHeaders: raw, body, bodyBytes: Buffer.byteLength(body), truncated: false } }),
    unreachable: s.unreachable ?? s.error !== undefined,
    timings: { startedAt: STARTED_AT, ...(!s.error && { ttfbMs: s.ttfbMs ?? Math.min(totalMs, 10) }), totalMs },
    attempts: 1,
  };
}

export interface StreamShape {
  /** [atMs, bytes or text] chunks of the body; none: the body was not read as a stream (no record). */
  chunks?: Array<[atMs: number, chunk: Uint8Array | string]>;
  end?: StreamEnd;
  /** When the stream ended; default: `closeAfterMs` after the last chunk. */
  endAt?: number;
  closeAfterMs?: number;
  status?: number;
  headers?: Record<string, string>;
  /** Header lines as received; default: `headers`' entries. */
  raw?: RawHeaders;
  excerpt?: string;
  url?: string;
  requestHeaders?: Record<string, string>;
  ttfbMs?: number;
  /** Default: the record's end, or 100 without a record. */
  totalMs?: number;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/** One GET of the answer stream as the stream probe records it, its body read by the real reader. */
export function streamObservation(s: StreamShape = {}): StreamObservation {
  const headers = s.headers ?? SSE_HEADERS;
  let record: StreamObservation['record'];
  if (s.chunks) {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 1e4, maxLineBytes: 1e5 });
    for (const [at, c] of s.chunks) reader.push(typeof c === 'string' ? new TextEncoder().encode(c) : c, at);
    record = reader.end(s.end ?? 'closed', s.endAt ?? (s.chunks.at(-1)?.[0] ?? 0) + (s.closeAfterMs ?? 10));
  }
  return {
    kind: 'stream',
    purpose: 'sse.stream',
    target: 'rag',
    request: { method: 'GET', url: s.url ?? 'http://127.0.0.1:1/bali-zero/chat-stream?query=hello', headers: s.requestHeaders ?? { accept: 'text/event-stream' } },
    response: { status: s.status ?? 200, headers, rawHeaders: s.raw ?? Object.entries(headers), ...(s.excerpt && { bodyExcerpt: s.excerpt }) },
    ...(record && { record }),
    unreachable: false,
    timings: { startedAt: STARTED_AT, ttfbMs: s.ttfbMs ?? 50, totalMs: s.totalMs ?? record?.end.atMs ?? 100 },
    attempts: 1,
  };
}
