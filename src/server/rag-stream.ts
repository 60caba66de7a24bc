import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceOptions } from './gateway.js';
import { sendJson } from './respond.js';

export const STREAM_PATH = '/bali-zero/chat-stream';
const ANSWER = 'Bali Zero helps you with visas, company setup and tax in Indonesia.';
const SOURCES = [
  { title: 'KITAS guide', url: 'https://zantara.balizero.com/docs/kitas' },
  { title: 'PT PMA setup', url: 'https://zantara.balizero.com/docs/pt-pma' },
];

export interface StreamOptions extends ServiceOptions {
  /** Delay between token events, ms. */
  tokenDelayMs: number;
}

/** The answer as the contract streams it: unnamed messages with JSON `type`, ending in `done`. */
export function answerEvents(query: string): string[] {
  const tokens = ANSWER.split(/(?<= )/);
  return [
    { type: 'metadata', data: { query, model: 'reference', tokens: tokens.length } },
    ...tokens.map((t) => ({ type: 'token', data: t })),
    { type: 'sources', data: SOURCES },
    { type: 'done', data: null },
  ].map((e) => `data: ${JSON.stringify(e)}\n\n`);
}

/**
 * GET /bali-zero/chat-stream?query=...: a stream costs one timer and one response. The
 * generator stops at once when the client goes away, and the gauge is exact (finally).
 */
export function chatStream(req: IncomingMessage, res: ServerResponse, url: URL, options: StreamOptions): void {
  const query = url.searchParams.get('query') ?? '';
  if (query.trim() === '') return sendJson(res, 400, { detail: 'query must not be empty' });
  const events = answerEvents(query);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  options.metrics.activeStreams.inc();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    options.metrics.activeStreams.dec();
  };
  const emit = () => {
    if (finished) return;
    res.write(events[next++]);
    if (next < events.length) timer = setTimeout(emit, options.tokenDelayMs);
    else {
      finish();
      res.end();
    }
  };
  res.on('close', finish);
  emit();
}
