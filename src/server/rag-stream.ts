import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceOptions } from './service.js';
import { answerEvents, endlessEvent, resumeIndex } from './rag-answer.js';
import type { StreamFormat } from './ndjson-framing.js';
import { openSink } from './rag-stream-sink.js';
import { sendJson } from './respond.js';

export const STREAM_PATH = '/bali-zero/chat-stream';
export { answerEvents } from './rag-answer.js';

export interface StreamOptions extends ServiceOptions {
  /** Delay between token events, ms. */
  tokenDelayMs: number;
  /** `serve --stream-format`: SSE (default) or NDJSON framing of the same answer. */
  streamFormat?: StreamFormat;
}

/**
 * Under `buffered` and `gzip` the answer is generated at a model's pace (~2 s in all), so the
 * burst at the end is distinguishable from fast generation with the default sse.buffering
 * thresholds, as it is in production, where answers take seconds.
 */
const MODEL_PACE_MS = 120;

/** After `reset-mid-stream`, the connection is reset once this many events were written. */
const RESET_AFTER = 5;

/**
 * GET /bali-zero/chat-stream?query=...: a stream costs one timer and one response. The
 * generator stops at once when the client goes away, and the gauge is exact (finally).
 * A reconnect whose Last-Event-ID already covers the whole answer gets 204, which ends
 * EventSource for good instead of generating the answer again (HTML §9.2.1).
 */
export function chatStream(req: IncomingMessage, res: ServerResponse, url: URL, options: StreamOptions): void {
  const { faults } = options;
  const query = url.searchParams.get('query') ?? '';
  if (query.trim() === '') {
    if (faults.has('empty-query-500')) return sendJson(res, 500, { detail: 'Internal Server Error' });
    return sendJson(res, 400, { detail: 'query must not be empty' });
  }
  const endless = faults.has('endless');
  const events = endless ? [] : answerEvents(query, faults);
  let next = resumeIndex(req.headers['last-event-id']);
  if (!endless && next >= events.length) {
    res.writeHead(204);
    return void res.end();
  }
  const sink = openSink(req, res, faults, options.streamFormat);
  const delayMs = faults.has('buffered') || faults.has('gzip') ? Math.max(options.tokenDelayMs, MODEL_PACE_MS) : options.tokenDelayMs;
  options.metrics.activeStreams.inc();
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let gone = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    options.metrics.activeStreams.dec();
  };
  const emit = () => {
    if (finished) return;
    if (gone) return generateDetached();
    sink.write(endless ? endlessEvent(query, next++) : (events[next++] as string));
    if (faults.has('reset-mid-stream') && next === RESET_AFTER) return void res.socket?.resetAndDestroy();
    if (endless || next < events.length) timer = setTimeout(emit, delayMs);
    else {
      finish();
      sink.end();
    }
  };
  // Fault ignore-disconnect: a generator that never looks at the connection (a detached task)
  // goes on producing tokens nobody reads; the gauge stays up until it gives up.
  let detachedUntil = 0;
  const generateDetached = () => {
    if (detachedUntil === 0) detachedUntil = Date.now() + faults.number('ignore-disconnect', 10_000);
    if (Date.now() >= detachedUntil) return finish();
    // unref: a zombie generator must not keep the server process alive on shutdown.
    timer = setTimeout(emit, delayMs).unref();
  };
  const ignoreDisconnect = faults.has('ignore-disconnect');
  res.on('close', () => {
    gone = true;
    if (!ignoreDisconnect) finish();
  });
  if (faults.has('slow-first-event')) {
    res.flushHeaders();
    timer = setTimeout(emit, faults.number('slow-first-event', 6000));
  } else emit();
}
