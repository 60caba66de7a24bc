import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceOptions } from './service.js';
import { CONTENT_TYPES, FRAMINGS, type StreamFormat } from './ndjson-framing.js';
import { PacedAnswer, PaceRules } from './paced-answer.js';
import type { Pace } from './pace.js';
import { AnswerBook, resumeIndex } from './rag-answer.js';
import { type Framing, openBody, sseHeads } from './rag-stream-sink.js';
import { sendJson } from './respond.js';

export const STREAM_PATH = '/bali-zero/chat-stream';

export interface StreamOptions extends ServiceOptions {
  /** How fast the answer is generated. */
  pace: Pace;
  /** `serve --stream-format`: SSE (default) or NDJSON framing of the same answer. */
  streamFormat?: StreamFormat;
}

/** What the stream route prepares once per server: answers per query, the pace, the framing and its heads. */
export interface StreamRoute {
  book: AnswerBook;
  rules: PaceRules;
  frame: Framing;
  head: (allowed: boolean) => string[];
}

export function prepareStreamRoute(options: StreamOptions, base: (allowed: boolean) => string[]): StreamRoute {
  const format = options.streamFormat ?? 'sse';
  return {
    book: new AnswerBook(options.faults),
    rules: new PaceRules(options.pace, options.faults),
    frame: FRAMINGS[format],
    head: sseHeads(options.faults, base, CONTENT_TYPES[format]),
  };
}

/**
 * GET /bali-zero/chat-stream?query=... (and the POST, once rag-post.ts checked it): a held stream costs one PacedAnswer and its timer. The
 * generator stops at once when the client goes away, and the gauge is exact. A reconnect whose
 * Last-Event-ID already covers the whole answer gets 204, which ends EventSource for good instead
 * of generating the answer again (HTML §9.2.1). `decorate` sets CORS and security headers on the
 * answers that are not a stream.
 */
export function chatStream(req: IncomingMessage, res: ServerResponse, url: URL, options: StreamOptions, route: StreamRoute, allowed: boolean, decorate: () => void): void {
  const { faults } = options;
  const query = url.searchParams.get('query') ?? '';
  if (query.trim() === '') {
    decorate();
    if (faults.has('empty-query-500')) return sendJson(res, 500, { detail: 'Internal Server Error' });
    return sendJson(res, 400, { detail: 'query must not be empty' });
  }
  const answer = route.book.get(query);
  const next = resumeIndex(req.headers['last-event-id']);
  if (!answer.endless && next >= answer.events.length) {
    decorate();
    res.writeHead(204);
    return void res.end();
  }
  const body = openBody(req, res, route.head(allowed), faults);
  new PacedAnswer(res, body, route.frame, answer, route.rules, options.metrics.activeStreams, next);
}
