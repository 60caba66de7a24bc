/**
 * The `stream` config section: which answer stream to open, how long and how much to read, what
 * to expect of it (the thresholds and done rule of streamExpectationSchema, flat in this
 * section), and how to observe disconnect cleanup. Composed into src/config/schema.ts.
 */
import { z } from 'zod';
import { byteCount, metricName, positiveMs, urlPath } from '../../config/fields.js';
import { ACTIVE_STREAMS } from '../../prometheus/names.js';
import { streamExpectationSchema } from './expectation.js';
import { checkTransport, transportFields } from './transport.js';

const MIB = 1024 * 1024;

export const streamCaps = z
  .object({
    /** Body bytes read from one stream (after decompression) before reading stops. */
    maxBytes: byteCount.default(16 * MIB),
    /** Dispatched events kept from one stream; one more stops reading. */
    // 20k events is a very long answer (several thousand tokens plus events) and keeps the
    // evidence the reader holds under ~50 MB, so a hostile stream stays within the 150 MB RSS cap.
    maxEvents: z.number().int().positive().default(20_000),
    /** A line longer than this stops reading, so an endless line is never buffered whole. */
    maxLineBytes: byteCount.default(MIB),
  })
  .strict();

/** `sse.disconnect.cleanup`: the server-side gauge that shows a stream is being generated (docs/browser-rules.md P-5). */
export const disconnectSection = z
  .object({
    /** Gauge of open answer streams in the RAG's /metrics; all its series are summed. */
    gauge: metricName.default(ACTIVE_STREAMS),
    /** After we disconnect, the gauge must be back at its baseline within this. */
    deadlineMs: positiveMs.default(5000),
    /**
     * Drop our stream this long after opening it when no event has arrived yet but the gauge is
     * up: behind a compressor or buffering proxy no event arrives before the answer is complete,
     * which is where a server that cannot see the client leave keeps generating.
     */
    dropAfterMs: positiveMs.default(500),
    /** Time between gauge scrapes (baseline, rise and release). */
    pollMs: positiveMs.default(200),
    /** Scrapes that must agree before our stream opens; a moving gauge is too noisy to judge. */
    baselineSamples: z.number().int().min(1).max(20).default(3),
  })
  .strict();

export const streamSection = z
  .object({
    ...streamExpectationSchema.shape,
    /** The answer stream's path on the RAG target. */
    path: urlPath.default('/bali-zero/chat-stream'),
    /** The query parameter that carries the question. */
    queryParam: z.string().min(1).default('query'),
    /** The question asked; the empty query is probed separately (`sse.empty-query`). */
    query: z.string().min(1, 'expected a non-empty query (sse.empty-query probes the empty one)').default('hello'),
    /** Deadline for reading one stream, headers to end. A stream still open then ends as `deadline`. */
    timeoutMs: positiveMs.default(30_000),
    caps: streamCaps.prefault({}),
    /** The web app's `new EventSource(url, {withCredentials})`: false (the contract) needs `*` or the exact origin. */
    withCredentials: z.boolean().default(false),
    ...transportFields,
    disconnect: disconnectSection.prefault({}),
  })
  .strict()
  .superRefine(checkTransport);
