/**
 * The stream probe's I/O: the answer-stream request as the page's transport sends it — a GET as
 * EventSource sends it (HTML §9.2.2: Accept: text/event-stream, no-store cache mode, CORS mode
 * with Origin), or the app's fetch() with its method, headers, body and token — its body fed chunk
 * by chunk into the reader of its framing (SSE or NDJSON). It decides nothing; the rules judge
 * the observation.
 */
import { extractMimeEssence } from '../../fetch/mime.js';
import type { CheckContext } from '../runner.js';
import type { BodyEnd, Exchange } from '../../http/client.js';
import { createNdjsonReader } from '../../sse/ndjson-reader.js';
import { createStreamReader } from '../../sse/reader.js';
import { type StreamCall, wireHeaders } from '../stream-call.js';
import type { SseEvent, StreamEnd } from '../../sse/types.js';

import { ACCEPT_ENCODING, bodyDecoder, type BodyDecoder } from './decode.js';
import type { StreamObservation } from './types.js';

/** Body bytes kept from a response the browser would not read as a stream (an HTML or JSON error page). */
const EXCERPT_BYTES = 2048;

export interface StreamProbeSpec {
  /** e.g. `sse.stream`, `sse.replay`; names the observation in the audit log. */
  purpose: string;
  /** The page's call (streamCall); `url` replaces its URL (a replayed reconnect). */
  call: StreamCall;
  url?: string;
  /** Added to the browser's headers, e.g. `last-event-id` on a replayed reconnect. */
  headers?: Record<string, string>;
  /** Disconnect after this many dispatched events (the rest is not needed). */
  stopAfterEvents?: number;
}

export interface OpenStream {
  /** The first dispatched event, or undefined when the stream ended (or was never accepted) without one. */
  firstEvent: Promise<SseEvent | undefined>;
  /** Disconnect now: the connection is destroyed, as when a page calls close() or its tab closes. */
  abort(): void;
  result: Promise<StreamObservation>;
}

/** The page's call as the browser sends it (wireHeaders), with a browser's Accept-Encoding: proxies compress only when asked (docs/browser-rules.md P-2). */
function browserHeaders(ctx: CheckContext, call: StreamCall): Record<string, string> {
  return { ...wireHeaders(call, ctx.config.origin), 'accept-encoding': ACCEPT_ENCODING };
}

/** Would the page's reader read this body? EventSource: 200 and text/event-stream (§9.2.2 step 18); a fetch() reader: any 200 (it checks response.ok, not the type). */
export function readsBody(call: Pick<StreamCall, 'transport'>, status: number, contentType: string | undefined): boolean {
  return status === 200 && (call.transport === 'fetch' || extractMimeEssence(contentType) === 'text/event-stream');
}

export function openStream(ctx: CheckContext, spec: StreamProbeSpec): OpenStream {
  const cfg = ctx.config.stream;
  const disconnect = new AbortController();
  let announce: (e: SseEvent | undefined) => void = () => undefined;
  const firstEvent = new Promise<SseEvent | undefined>((resolve) => (announce = resolve));
  let events = 0;
  const call = spec.call;
  const reader = (call.format === 'ndjson' ? createNdjsonReader : createStreamReader)({
    ...cfg.caps,
    onEvent: (e) => {
      if (++events === 1) announce(e);
      // Not from inside the HTTP layer's data callback: abort on the next microtask.
      if (spec.stopAfterEvents !== undefined && events >= spec.stopAfterEvents) queueMicrotask(() => disconnect.abort());
    },
  });
  let accepted = false;
  let capped = false;
  let excerpt = Buffer.alloc(0);
  let decoder: BodyDecoder | undefined;

  const sink = (chunk: Uint8Array, atMs: number): boolean => {
    if (!accepted) {
      excerpt = Buffer.concat([excerpt, chunk.subarray(0, EXCERPT_BYTES - excerpt.length)]);
      return excerpt.length < EXCERPT_BYTES;
    }
    if (capped || reader.push(chunk, atMs)) return !capped;
    capped = true;
    // A decompression bomb stops here too: no more inflating what nobody will read.
    if (decoder) queueMicrotask(() => (decoder?.stop(), disconnect.abort()));
    return false;
  };

  const result = (async (): Promise<StreamObservation> => {
    const ex = await ctx.http.send({
      purpose: spec.purpose,
      target: 'rag',
      method: call.method,
      url: spec.url ?? call.url,
      headers: { ...browserHeaders(ctx, call), ...spec.headers },
      ...(call.body !== undefined && { body: call.body }),
      timeoutMs: cfg.timeoutMs,
      maxBytes: cfg.caps.maxBytes,
      signal: AbortSignal.any([ctx.signal, disconnect.signal]),
      onHead: (status, _at, headers) => {
        accepted = readsBody(call, status, headers['content-type']);
        decoder = bodyDecoder(headers['content-encoding'], (c, at) => void sink(c, at));
      },
      onChunk: (chunk, atMs) => {
        if (!decoder) return sink(chunk, atMs);
        decoder.write(chunk, atMs);
        return !capped && (accepted || excerpt.length < EXCERPT_BYTES);
      },
    });
    await decoder?.finish();
    announce(undefined);
    const obs = observation(spec.purpose, ex, accepted ? reader.end(streamEnd(ex.end), ex.endedAtMs) : undefined, excerpt, decoder);
    return call.transport === 'fetch' ? { ...obs, transport: 'fetch', format: call.format, credentials: call.credentials } : obs;
  })();
  return { firstEvent, abort: () => disconnect.abort(), result };
}

/** Read one stream to its end (or deadline, cap, or `stopAfterEvents`), record it compactly, return it. */
export async function probeStream(ctx: CheckContext, spec: StreamProbeSpec): Promise<StreamObservation> {
  const obs = await openStream(ctx, spec).result;
  recordStream(ctx, obs);
  return obs;
}

export function recordStream(ctx: CheckContext, obs: StreamObservation): void {
  ctx.record('observation', compactObservation(obs));
}

/** How the HTTP layer's ending reads for a stream; a cap is the reader's, which `end()` keeps. */
function streamEnd(end: BodyEnd): StreamEnd {
  switch (end) {
    case 'complete':
      return 'closed';
    case 'deadline':
      return 'deadline';
    case 'aborted':
      return 'aborted';
    case 'cap':
      return 'cap-bytes';
    default:
      return 'reset';
  }
}

function observation(purpose: string, ex: Exchange, record: StreamObservation['record'], excerpt: Buffer, decoder: BodyDecoder | undefined): StreamObservation {
  const res = ex.response;
  return {
    kind: 'stream',
    purpose,
    target: 'rag',
    request: ex.request,
    ...(res && {
      response: {
        status: res.status,
        headers: res.headers,
        rawHeaders: res.rawHeaders,
        ...(excerpt.length > 0 && { bodyExcerpt: excerpt.toString('utf8') }),
      },
    }),
    ...(record && { record }),
    ...(decoder && { decoding: { coding: decoder.coding, compressedBytes: decoder.compressedBytes, ...(decoder.error && { error: decoder.error }) } }),
    ...(ex.error && { error: ex.error }),
    unreachable: ex.unreachable,
    timings: ex.timings,
    attempts: ex.attempts,
  };
}

const LOG_EVENTS_HEAD = 150;
const LOG_EVENTS_TAIL = 50;
const LOG_DATA_CHARS = 300;

/** The observation as the audit log keeps it: every event for a normal answer, the ends of a runaway one, data cut short. */
export function compactObservation(obs: StreamObservation): StreamObservation & { eventsOmitted?: number } {
  const r = obs.record;
  if (!r) return obs;
  const cut = (e: SseEvent): SseEvent => (e.data.length > LOG_DATA_CHARS ? { ...e, data: `${e.data.slice(0, LOG_DATA_CHARS)}…` } : e);
  const omitted = Math.max(0, r.events.length - LOG_EVENTS_HEAD - LOG_EVENTS_TAIL);
  const events = omitted === 0 ? r.events : [...r.events.slice(0, LOG_EVENTS_HEAD), ...r.events.slice(-LOG_EVENTS_TAIL)];
  return { ...obs, record: { ...r, events: events.map(cut), comments: r.comments.slice(0, 50) }, ...(omitted > 0 && { eventsOmitted: omitted }) };
}
