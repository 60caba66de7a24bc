/**
 * `stream` and `load` decide done on the same bytes the same way: one text feed (src/sse/text.ts)
 * and one done rule (src/sse/done.ts). The case that split them: a done event whose lines end in a
 * bare CR, then the server closes. A browser dispatches it (HTML §9.2.6: CR alone ends a line).
 */
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { judgeDone } from '../../src/checks/stream/done.js';
import { createContext } from '../../src/checks/stream/context.js';
import { streamExpectationSchema } from '../../src/checks/stream/expectation.js';
import { Slot, type SlotHost } from '../../src/checks/load/slot.js';
import type { Outcome } from '../../src/checks/load/types.js';
import { latencySchema } from '../../src/latency/config.js';
import { compileDoneRule, DEFAULT_DONE_RULE } from '../../src/sse/done.js';
import type { Framing } from '../../src/sse/framer.js';
import { createNdjsonReader } from '../../src/sse/ndjson-reader.js';
import { DEFAULT_READER_OPTIONS } from '../../src/sse/capped-reader.js';
import { streamObservation } from '../helpers/observations.js';

const TOKEN = 'data: {"type":"token","data":"Bali"}';
const DONE = 'data: {"type":"done"}';

/** The load engine's view: one slot fed these chunks, then the server closes. */
function loadOutcome(chunks: string[], framing: Framing = 'sse'): Outcome | undefined {
  let outcome: Outcome | undefined;
  const isDone = compileDoneRule(DEFAULT_DONE_RULE);
  const host: SlotHost = {
    url: 'http://127.0.0.1:1/s',
    timeoutMs: 1000,
    latency: latencySchema.parse({}),
    framing,
    isDone,
    opened: () => undefined,
    firstEvent: () => undefined,
    done: () => undefined,
    events: () => undefined,
    ended: (_slot, o) => {
      outcome = o;
    },
  };
  const slot = new Slot(0, host);
  const dispatcher = { dispatch: () => true } as unknown as Dispatcher;
  slot.start(dispatcher, { path: '/s', method: 'GET' }, performance.now());
  slot.onHeaders(200);
  for (const c of chunks) slot.onData(Buffer.from(c));
  slot.onComplete();
  return outcome;
}

/** The stream check's NDJSON view: the reader of a fetch() stream, then the sse.done rule. */
function ndjsonVerdict(chunks: string[]): string {
  const obs = streamObservation({ chunks: [] });
  const reader = createNdjsonReader(DEFAULT_READER_OPTIONS);
  chunks.forEach((c, i) => reader.push(new TextEncoder().encode(c), 100 + i * 10));
  const ndjson = { ...obs, transport: 'fetch' as const, format: 'ndjson' as const, record: reader.end('closed', 100 + chunks.length * 10) };
  return judgeDone(createContext(ndjson, streamExpectationSchema.parse({}))).status;
}

/** The stream check's view: the reader, then the sse.done rule. */
function streamVerdict(chunks: string[]): string {
  const obs = streamObservation({ chunks: chunks.map((c, i): [number, string] => [100 + i * 10, c]) });
  return judgeDone(createContext(obs, streamExpectationSchema.parse({}))).status;
}

describe('one verdict on done for stream and load', () => {
  it.each([
    ['CR-only line endings, the last chunk ending in CR, then close', [`${TOKEN}\r\r`, `${DONE}\r\r`]],
    ['CR-only line endings in one chunk', [`${TOKEN}\r\r${DONE}\r\r`]],
    ['CRLF split between chunks', [`${TOKEN}\r\n\r`, `\n${DONE}\r`, '\n\r\n']],
    ['LF line endings', [`${TOKEN}\n\n${DONE}\n\n`]],
  ])('%s: done seen by both', (_name, chunks) => {
    expect(streamVerdict(chunks)).toBe('pass');
    expect(loadOutcome(chunks)).toBe('done');
  });

  it('a done block the server never terminates is not done for either (the browser discards it)', () => {
    const chunks = [`${TOKEN}\n\n${DONE}`];
    expect(streamVerdict(chunks)).not.toBe('pass');
    expect(loadOutcome(chunks)).toBe('closed without done');
  });

  it.each([
    ['one line per chunk', ['{"type":"token","data":"Bali"}\n', '{"type":"done"}\n']],
    ['CRLF lines, the CR and LF in different chunks', ['{"type":"token","data":"Bali"}\r\n{"type":"done"}\r', '\n']],
    ['an OpenAI-style sentinel line', ['{"type":"token","data":"Bali"}\n', '[DONE]\n']],
  ])('NDJSON, %s: done seen by both', (_name, chunks) => {
    expect(ndjsonVerdict(chunks)).toBe('pass');
    expect(loadOutcome(chunks, 'ndjson')).toBe('done');
  });

  it('NDJSON: a done line without its LF is not done for either', () => {
    const chunks = ['{"type":"token","data":"Bali"}\n{"type":"done"}'];
    expect(ndjsonVerdict(chunks)).not.toBe('pass');
    expect(loadOutcome(chunks, 'ndjson')).toBe('closed without done');
  });

  it('the same NDJSON bytes read as SSE are not done: the framing is what load must follow', () => {
    expect(loadOutcome(['{"type":"token","data":"Bali"}\n', '{"type":"done"}\n'], 'sse')).toBe('closed without done');
  });
});
