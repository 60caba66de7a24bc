import type { RawHeaders, SentRequest, TransportError } from '../../http/types.js';
import type { StreamRecord } from '../../sse/types.js';

/** The response head of a stream request, as the HTTP layer saw it. */
export interface StreamResponseHead {
  status: number;
  /** Lower-cased names; repeated lines joined with ", " (as Fetch combines them). */
  headers: Record<string, string>;
  rawHeaders: RawHeaders;
  /** The start of a body that was not read as a stream (an HTML error page, a JSON error), for evidence. */
  bodyExcerpt?: string;
}

/**
 * One GET of the answer stream: a plain, serialisable record the stream probe returns and the
 * rules judge. `record` is present when the body was read as an event stream.
 */
export interface StreamObservation {
  kind: 'stream';
  /** e.g. `sse.stream`. */
  purpose: string;
  /** Absent: EventSource (GET, read only when 200 + text/event-stream). `fetch`: the app's fetch() with a ReadableStream reader. */
  transport?: 'fetch';
  /** fetch only: how the body was framed for the reader. */
  format?: 'sse' | 'ndjson';
  /** fetch only: the request's credentials mode. */
  credentials?: 'omit' | 'same-origin' | 'include';
  target: 'rag';
  request: SentRequest;
  response?: StreamResponseHead;
  record?: StreamRecord;
  /** The body's Content-Encoding, undone before reading (as a browser does); `error` when it could not be (e.g. cut mid-member). */
  decoding?: { coding: string; compressedBytes: number; error?: string };
  /** A transport error: before the response (then `unreachable` may be true) or mid-body. */
  error?: TransportError;
  /** True when no response was received at all (refused, DNS, TLS, timeout before headers). */
  unreachable: boolean;
  /** Times in ms since the request was sent; the record's `atMs` values use the same clock. */
  timings: { startedAt: string; ttfbMs?: number; totalMs: number };
  attempts: number;
}
