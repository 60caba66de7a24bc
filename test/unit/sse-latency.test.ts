import { describe, expect, it } from 'vitest';
import { createContext, judgeE2e, judgeItl, judgeTtft, streamExpectationSchema, type StreamObservation } from '../../src/checks/stream/rules.js';
import { createStreamReader } from '../../src/sse/reader.js';

const HEAD = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const META = 'data: {"type":"metadata","data":{"model":"m"}}\n\n';
const tok = (t: string, extra = '') => `data: {"type":"token","data":"${t}"${extra}}\n\n`;
const DONE = 'data: {"type":"done","data":null}\n\n';

/** A stream as read chunk by chunk: [arrival ms, bytes of that read]. */
function stream(chunks: Array<[number, string]>): StreamObservation {
  const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 1e4, maxLineBytes: 1e5 });
  for (const [at, text] of chunks) reader.push(new TextEncoder().encode(text), at);
  const record = reader.end('closed', (chunks.at(-1)?.[0] ?? 0) + 2);
  return {
    kind: 'stream',
    purpose: 'sse.stream',
    target: 'rag',
    request: { method: 'GET', url: 'http://127.0.0.1:1/s', headers: {} },
    response: { status: 200, headers: HEAD, rawHeaders: Object.entries(HEAD) },
    record,
    unreachable: false,
    timings: { startedAt: '2026-11-27T00:00:00.000Z', ttfbMs: 5, totalMs: record.end.atMs },
    attempts: 1,
  };
}

/** Metadata at `metaAt`, then `n` tokens every `step` ms from `from`, one per read, then done. */
function paced(n: number, step: number, from: number, metaAt = 20): Array<[number, string]> {
  return [[metaAt, META], ...Array.from({ length: n }, (_, i): [number, string] => [from + i * step, tok(`w${i} `)]), [from + n * step, DONE]];
}

const EXP = streamExpectationSchema.parse({});
const judge = (fn: typeof judgeTtft, o: StreamObservation, exp = EXP) => {
  const f = fn(createContext(o, exp));
  if (f.status === 'fail' || f.status === 'warn') expect(f.remedy).toBeTruthy();
  return f;
};

describe('sse.ttft', () => {
  it('fails a stream whose first event is metadata and whose first token is late', () => {
    const f = judge(judgeTtft, stream(paced(5, 30, 2600)));
    expect(f).toMatchObject({ status: 'fail', title: 'first token after 2600 ms (limit 2000 ms)' });
    expect(f.observed).toContain('first event 20 ms');
    expect(f.evidence).toMatchObject({ ttftMs: 2600, firstEventMs: 20, firstByteMs: 20 });
  });

  it('passes the same stream when the first token is prompt, with the number in the title', () => {
    const f = judge(judgeTtft, stream(paced(5, 30, 412)));
    expect(f).toMatchObject({ status: 'pass', title: 'first token after 412 ms (limit 2000 ms)' });
  });

  it('does not count an empty token or an OpenAI role-only chunk', () => {
    const role = 'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\n';
    const text = 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n';
    const f = judge(
      judgeTtft,
      stream([
        [10, role],
        [15, tok('')],
        [2500, text],
        [2510, 'data: [DONE]\n\n'],
      ]),
    );
    expect(f).toMatchObject({ status: 'fail', evidence: { ttftMs: 2500 } });
  });

  it('fails a stream without any content event, and honours a configured content rule', () => {
    const body: Array<[number, string]> = [
      [10, META],
      [20, 'data: {"type":"chunk","text":"hi"}\n\n'],
      [30, DONE],
    ];
    expect(judge(judgeTtft, stream(body))).toMatchObject({ status: 'fail', title: 'no token: the stream carried no content event' });
    const exp = streamExpectationSchema.parse({ content: ['json:type=chunk'] });
    expect(judge(judgeTtft, stream(body), exp)).toMatchObject({ status: 'pass', evidence: { ttftMs: 20 } });
  });

  it('takes its limit from stream.slo', () => {
    const exp = streamExpectationSchema.parse({ slo: { ttftMs: 300 } });
    expect(judge(judgeTtft, stream(paced(3, 30, 412)), exp).status).toBe('fail');
  });
});

describe('sse.itl', () => {
  it('passes steady tokens, one per read', () => {
    const f = judge(judgeItl, stream(paced(20, 40, 300)));
    expect(f).toMatchObject({ status: 'pass', title: 'tokens every 40 ms (gap p99 40 ms, max 40 ms over 19 gaps)' });
    expect(f.evidence).toMatchObject({ itl: { perEvent: { p99: 40 }, perDelivery: { p99: 40 } }, coalescing: { coalesced: false } });
  });

  it('fails a stall mid-answer', () => {
    const chunks = paced(20, 40, 300).map(([at, t], i): [number, string] => [i > 10 ? at + 2000 : at, t]);
    expect(judge(judgeItl, stream(chunks))).toMatchObject({ status: 'fail', title: expect.stringMatching(/^tokens stall: gap p99 2040 ms/) });
  });

  it('reports a stream held by a buffering proxy as coalesced, never as fast', () => {
    // 20 tokens generated 120 ms apart, all released in one read at the end.
    const body = META + Array.from({ length: 20 }, (_, i) => tok(`w${i}`)).join('') + DONE;
    const f = judge(judgeItl, stream([[2450, body]]));
    expect(f.status).toBe('warn');
    expect(f.title).toBe('coalesced: all 20 content events arrived in one delivery at 2450 ms');
    expect(f.observed).toContain('20 content events arrived in 1 delivery');
    expect(f.evidence).toMatchObject({ itl: { perEvent: { p99: 0 } }, coalescing: { coalesced: true, largestDelivery: 20 } });
  });

  it('reports bursts released every 300 ms as coalesced, judged on the gaps between bursts', () => {
    const chunks: Array<[number, string]> = [[10, META]];
    for (let b = 0; b < 4; b++) chunks.push([200 + b * 300, Array.from({ length: 8 }, (_, i) => tok(`w${b}${i}`)).join('')]);
    chunks.push([1200, DONE]);
    const f = judge(judgeItl, stream(chunks));
    expect(f).toMatchObject({ status: 'warn', title: 'coalesced: 8 events per delivery; gap p99 300 ms, max 300 ms over 3 gaps' });
    const strict = streamExpectationSchema.parse({ slo: { itlP99Ms: 250 } });
    expect(judge(judgeItl, stream(chunks), strict)).toMatchObject({ status: 'fail', title: expect.stringMatching(/^coalesced, tokens stall/) });
  });

  it('normalises per token when a counter is configured', () => {
    const chunks: Array<[number, string]> = Array.from({ length: 6 }, (_, i) => [100 + i * 200, tok('a few words', ',"n":5')]);
    const exp = streamExpectationSchema.parse({ tokenCounter: { path: 'n' } });
    const f = judge(judgeItl, stream([...chunks, [1300, DONE]]), exp);
    expect(f).toMatchObject({ status: 'warn', evidence: { tokens: 30, itl: { perToken: { p50: 40 } }, coalescing: { tokensPerEvent: 5 } } });
    expect(f.observed).toContain('per token p99 40 ms');
  });

  it('does not warn about coalescing when the whole answer arrived within a second', () => {
    const body = META + Array.from({ length: 20 }, (_, i) => tok(`w${i}`)).join('') + DONE;
    expect(judge(judgeItl, stream([[40, body]]))).toMatchObject({ status: 'pass', evidence: { coalescing: { coalesced: true } } });
  });

  it('shows the server stamps beside the arrivals when configured', () => {
    const body = Array.from({ length: 5 }, (_, i) => tok('x', `,"t":${1_795_000_000_000 + i * 120}`)).join('');
    const exp = streamExpectationSchema.parse({ generatedAtField: 't' });
    const f = judge(
      judgeItl,
      stream([
        [700, body],
        [702, DONE],
      ]),
      exp,
    );
    expect(f.evidence).toMatchObject({ server: { gaps: { p50: 120, count: 4 } } });
  });
});

describe('sse.e2e', () => {
  it('passes a prompt answer and fails a slow one; skips without done', () => {
    expect(judge(judgeE2e, stream(paced(5, 30, 100)))).toMatchObject({ status: 'pass', title: 'whole answer in 250 ms (limit 30000 ms)' });
    const exp = streamExpectationSchema.parse({ slo: { e2eMs: 200 } });
    expect(judge(judgeE2e, stream(paced(5, 30, 100)), exp).status).toBe('fail');
    expect(judge(judgeE2e, stream(paced(5, 30, 100).slice(0, -1))).status).toBe('skip');
  });

  it('skips every latency finding when there is no stream', () => {
    const o = { ...stream([]), response: { status: 500, headers: {}, rawHeaders: [] } };
    for (const fn of [judgeTtft, judgeItl, judgeE2e]) expect(judge(fn, o).status).toBe('skip');
  });
});
