/**
 * The reference answer as prepared once per query, its SSE framing with the generation stamp, and
 * the pace arithmetic. No timing here: the paced stream itself is tested end to end in
 * test/integration/stream.test.ts (faults slow-first-token and stalls).
 */
import { describe, expect, it } from 'vitest';
import { Faults } from '../../src/server/faults.js';
import { DEFAULT_PACE, jittered, nextSeed, paceArgs, paceFromFlags } from '../../src/server/pace.js';
import { AnswerBook, eventAt, prepareAnswer, STAMP_FIELD } from '../../src/server/rag-answer.js';
import { sseFrame } from '../../src/server/rag-stream-sink.js';

const dataOf = (frame: string) => /^data: (.*)$/m.exec(frame)?.[1] ?? '';

describe('the prepared answer', () => {
  it('frames each event with its position as id and the stamp as the last JSON member', () => {
    const answer = prepareAnswer('visa?');
    const frames = answer.events.map((e, i) => sseFrame(i, e, 1795762800123.456));
    expect(frames[0]).toMatch(/^id: 1\ndata: \{"type":"metadata",.*\}\n\n$/);
    const parsed = frames.map((f) => JSON.parse(dataOf(f)) as Record<string, unknown>);
    expect(parsed.map((p) => p.type)).toEqual(['metadata', ...Array(parsed.length - 3).fill('token'), 'sources', 'done']);
    expect(parsed.every((p) => p[STAMP_FIELD] === 1795762800123.456 && Object.keys(p).at(-1) === STAMP_FIELD)).toBe(true);
    expect(parsed[0]?.data).toEqual({ query: 'visa?', model: 'reference', tokens: parsed.length - 3 });
    expect(answer.firstToken).toBe(1);
    expect(answer.stallAt).toBe(answer.events.length >> 1);
  });

  it('fault malformed-json: the broken token is not JSON and carries no stamp; error-event: an error event, stamped', () => {
    const broken = prepareAnswer('q', new Faults(['malformed-json'])).events.map((e, i) => dataOf(sseFrame(i, e, 1)));
    expect(broken[4]).toBe("{'type': 'token', 'data': 'you '}");
    expect(() => JSON.parse(broken[3] ?? '')).not.toThrow();
    const withError = prepareAnswer('q', new Faults(['error-event'])).events.map((e, i) => JSON.parse(dataOf(sseFrame(i, e, 2))) as { type: string; t: number });
    expect(withError[4]).toMatchObject({ type: 'error', t: 2 });
  });

  it('fault endless: the tokens cycle with growing ids, never a done', () => {
    const answer = prepareAnswer('q', new Faults(['endless']));
    expect(answer.endless).toBe(true);
    const frames = Array.from({ length: 200 }, (_, i) => sseFrame(i, eventAt(answer, i) ?? answer.events[0]!, 3));
    expect(frames[199]).toMatch(/^id: 200\n/);
    expect(frames.some((f) => f.includes('"done"'))).toBe(false);
  });

  it('is prepared once per query, and the book stays bounded', () => {
    const book = new AnswerBook(new Faults(), 2);
    const first = book.get('a');
    expect(book.get('a')).toBe(first);
    book.get('b');
    book.get('c'); // full: starts over
    expect(book.get('a')).not.toBe(first);
  });
});

describe('the pace', () => {
  it('jitter stays within ± jitter of the interval and is never negative', () => {
    let seed = 1;
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      seed = nextSeed(seed);
      seen.add(jittered(DEFAULT_PACE, seed));
    }
    const { tokenIntervalMs: interval, jitterMs: jitter } = DEFAULT_PACE;
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * jitter + 1 }, (_, i) => interval - jitter + i));
    expect(jittered({ ttftMs: 0, tokenIntervalMs: 2, jitterMs: 10 }, -1)).toBe(12);
    expect(jittered({ ttftMs: 0, tokenIntervalMs: 2, jitterMs: 10 }, 0)).toBe(0);
  });

  it('flags: whole ms only, passed on to the serve child unchanged', () => {
    const fail = (m: string) => new Error(m);
    expect(paceFromFlags({ ttft: '800', jitter: '0' }, fail)).toEqual({ ttftMs: 800, jitterMs: 0 });
    expect(paceArgs({ ttftMs: 800, jitterMs: 0 })).toEqual(['--ttft', '800', '--jitter', '0']);
    expect(() => paceFromFlags({ tokenInterval: '-5' }, fail)).toThrow('--token-interval: expected a whole number of ms from 0 to 60000, got "-5"');
    expect(() => paceFromFlags({ ttft: '60001' }, fail)).toThrow(/--ttft/);
  });
});
