/**
 * The reference answer as wire text: unnamed messages whose JSON data has a `type` (metadata,
 * tokens, sources, done), each with an `id:` that is its 1-based position, so a reconnect's
 * Last-Event-ID says where the client got to. Stream faults change what is sent here.
 */
import type { Faults } from './faults.js';

const ANSWER = 'Bali Zero helps you with visas, company setup and tax in Indonesia.';
const TOKENS = ANSWER.split(/(?<= )/);
const SOURCES = [
  { title: 'KITAS guide', url: 'https://zantara.balizero.com/docs/kitas' },
  { title: 'PT PMA setup', url: 'https://zantara.balizero.com/docs/pt-pma' },
];
/** The token a stream fault replaces or breaks, a few tokens in. */
const BROKEN_TOKEN = 3;

const frame = (id: number, data: string) => `id: ${id}\ndata: ${data}\n\n`;
const message = (id: number, type: string, data: unknown) => frame(id, JSON.stringify({ type, data }));

/** Every event of a finite answer, in order. */
export function answerEvents(query: string, faults?: Faults): string[] {
  const payloads: Array<[type: string, data: unknown] | string> = [
    ['metadata', { query, model: 'reference', tokens: TOKENS.length }],
    ...TOKENS.map((t): [string, unknown] => ['token', t]),
    ['sources', SOURCES],
    ['done', null],
  ];
  if (faults?.has('no-done')) payloads.pop();
  if (faults?.has('event-after-done')) payloads.push(['token', ' (one more thing)']);
  if (faults?.has('error-event')) payloads.splice(1 + BROKEN_TOKEN, 0, ['error', { message: 'LLM provider timeout after 30 s' }]);
  // A Python f-string of a dict instead of json.dumps: single quotes, so not JSON.
  if (faults?.has('malformed-json')) payloads[1 + BROKEN_TOKEN] = `{'type': 'token', 'data': '${TOKENS[BROKEN_TOKEN]}'}`;
  return payloads.map((p, i) => (typeof p === 'string' ? frame(i + 1, p) : message(i + 1, p[0], p[1])));
}

/** Fault `endless`: the answer's tokens over and over, never a done. */
export function endlessEvent(query: string, index: number): string {
  if (index === 0) return message(1, 'metadata', { query, model: 'reference', tokens: null });
  return message(index + 1, 'token', TOKENS[(index - 1) % TOKENS.length]);
}

/**
 * Where a reconnect resumes: after the event whose id it carries (ids are positions). A
 * Last-Event-ID at or past the last event means the client has the whole answer.
 */
export function resumeIndex(lastEventId: string | string[] | undefined): number {
  const n = typeof lastEventId === 'string' && /^\d{1,9}$/.test(lastEventId.trim()) ? Number(lastEventId.trim()) : 0;
  return n;
}
