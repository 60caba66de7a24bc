/**
 * The reference answer, prepared once per query: unnamed messages whose JSON data has a `type`
 * (metadata, tokens, sources, done), each with an `id:` that is its 1-based position, so a
 * reconnect's Last-Event-ID says where the client got to. Stream faults change what is sent here.
 * Each event is kept as its JSON without the closing brace, so the framing appends the
 * generation stamp (`"t"`, see STAMP_FIELD) and nothing else is built per request.
 */
import type { Faults } from './faults.js';

/** The generation time of each event, ms since the epoch (float), the last member of its JSON. */
export const STAMP_FIELD = 't';

// A typical RAG answer's length (~60 tokens): with a model's pace it takes seconds, as real answers do.
const ANSWER =
  'Bali Zero helps you with visas, company setup and tax in Indonesia. For a KITAS you need a sponsor, ' +
  'a passport valid for at least eighteen months and health insurance; a PT PMA needs a business plan, ' +
  'the paid-up capital and an NIB from the OSS system. We can prepare the documents and file them for you, ' +
  'usually within two weeks.';
export const TOKENS = ANSWER.split(/(?<= )/);
const SOURCES = [
  { title: 'KITAS guide', url: 'https://zantara.balizero.com/docs/kitas' },
  { title: 'PT PMA setup', url: 'https://zantara.balizero.com/docs/pt-pma' },
];
/** The token a stream fault replaces or breaks, a few tokens in. */
const BROKEN_TOKEN = 3;

/** One event: its JSON data up to (not including) the closing brace, or, unstamped, data that is not a JSON object. */
export interface PreparedEvent {
  head: string;
  /** false: `head` is the whole data, written as is (fault malformed-json: not JSON, so nothing to stamp). */
  stamped: boolean;
  /** A content event (a token): the first one is paced by the time to first token. */
  token: boolean;
}

export interface PreparedAnswer {
  /** Every event of a finite answer, in order; for an endless one, only the metadata. */
  events: readonly PreparedEvent[];
  endless: boolean;
  /** Index of the first token event: the time to first token is paced before it. */
  firstToken: number;
  /** Index of the event fault `stalls` holds back: mid-answer. */
  stallAt: number;
}

const open = (type: string, data: unknown): PreparedEvent => {
  const json = JSON.stringify({ type, data });
  return { head: json.slice(0, -1), stamped: true, token: type === 'token' };
};

const TOKEN_EVENTS = TOKENS.map((t) => open('token', t));

/** Every event of a finite answer, in order. */
function finiteAnswer(query: string, faults?: Faults): PreparedEvent[] {
  const events = [open('metadata', { query, model: 'reference', tokens: TOKENS.length }), ...TOKEN_EVENTS, open('sources', SOURCES), open('done', null)];
  if (faults?.has('no-done')) events.pop();
  if (faults?.has('event-after-done')) events.push(open('token', ' (one more thing)'));
  if (faults?.has('error-event')) events.splice(1 + BROKEN_TOKEN, 0, open('error', { message: 'LLM provider timeout after 30 s' }));
  // A Python f-string of a dict instead of json.dumps: single quotes, so not JSON.
  if (faults?.has('malformed-json')) events[1 + BROKEN_TOKEN] = { head: `{'type': 'token', 'data': '${TOKENS[BROKEN_TOKEN]}'}`, stamped: false, token: true };
  return events;
}

export function prepareAnswer(query: string, faults?: Faults): PreparedAnswer {
  if (faults?.has('endless')) {
    return { events: [open('metadata', { query, model: 'reference', tokens: null })], endless: true, firstToken: 1, stallAt: 1 + (TOKENS.length >> 1) };
  }
  const events = finiteAnswer(query, faults);
  return { events, endless: false, firstToken: events.findIndex((e) => e.token), stallAt: events.length >> 1 };
}

/** Event `index` of an answer (fault `endless`: the answer's tokens over and over, never a done). */
export function eventAt(answer: PreparedAnswer, index: number): PreparedEvent | undefined {
  if (!answer.endless || index === 0) return answer.events[index];
  return TOKEN_EVENTS[(index - 1) % TOKEN_EVENTS.length];
}

/**
 * Prepared answers by query, for one server (its faults are fixed). Bounded: a load run asks one
 * query thousands of times; a client asking a new query each time only refills the book.
 */
export class AnswerBook {
  private readonly byQuery = new Map<string, PreparedAnswer>();
  constructor(
    private readonly faults: Faults,
    private readonly max = 256,
  ) {}

  get(query: string): PreparedAnswer {
    let answer = this.byQuery.get(query);
    if (answer) return answer;
    if (this.byQuery.size >= this.max) this.byQuery.clear();
    answer = prepareAnswer(query, this.faults);
    this.byQuery.set(query, answer);
    return answer;
  }
}

/**
 * Where a reconnect resumes: after the event whose id it carries (ids are positions). A
 * Last-Event-ID at or past the last event means the client has the whole answer.
 */
export function resumeIndex(lastEventId: string | string[] | undefined): number {
  const n = typeof lastEventId === 'string' && /^\d{1,9}$/.test(lastEventId.trim()) ? Number(lastEventId.trim()) : 0;
  return n;
}
