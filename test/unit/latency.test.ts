import { describe, expect, it } from 'vitest';
import { arrivalsUntil } from '../../src/latency/arrivals.js';
import { latencySchema, timelineFor } from '../../src/latency/config.js';
import { compileContentRule, DEFAULT_CONTENT_RULE, parseContentMatcher } from '../../src/latency/content.js';
import { streamLatency, streamTimes } from '../../src/latency/figures.js';
import { clientSaturation, clientBoundsSchema } from '../../src/latency/saturation.js';
import { missedSlo, sloSchema } from '../../src/latency/slo.js';

const isContent = compileContentRule(DEFAULT_CONTENT_RULE);

describe('content events', () => {
  it.each([
    ['zantara token', 'message', '{"type":"token","data":"Hello"}', 'Hello'],
    ['zantara metadata', 'message', '{"type":"metadata","data":{"model":"x"}}', undefined],
    ['zantara empty token', 'message', '{"type":"token","data":""}', undefined],
    ['zantara sources', 'message', '{"type":"sources","data":[1,2]}', undefined],
    ['named token, JSON', 'token', '{"data":"Hi"}', 'Hi'],
    ['named token, plain text', 'token', 'Hi', 'Hi'],
    ['named delta, empty data', 'delta', '', undefined],
    ['named metadata', 'metadata', '{"data":"not content"}', undefined],
    ['OpenAI role-only first chunk', 'message', '{"choices":[{"index":0,"delta":{"role":"assistant"}}]}', undefined],
    ['OpenAI empty content', 'message', '{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}', undefined],
    ['OpenAI content', 'message', '{"choices":[{"index":0,"delta":{"content":" world"}}]}', ' world'],
    ['OpenAI [DONE]', 'message', '[DONE]', undefined],
    ['Anthropic text delta', 'content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}', 'Hi'],
    ['Anthropic message_start', 'message_start', '{"type":"message_start","message":{"content":[]}}', undefined],
    ['Anthropic ping', 'ping', '{"type":"ping"}', undefined],
    ['done', 'message', '{"type":"done","data":null}', undefined],
  ])('%s', (_name, type, data, text) => {
    expect(isContent(type, data)).toBe(text);
  });

  it('takes configured matchers, shorthand or object', () => {
    const cfg = latencySchema.parse({ content: ['json:kind=chunk', { kind: 'path', path: 'output.text' }] });
    const f = compileContentRule(cfg.content);
    expect(f('message', '{"kind":"chunk","text":"a"}')).toBe('a');
    expect(f('message', '{"output":{"text":"b"}}')).toBe('b');
    expect(f('message', '{"type":"token","data":"c"}')).toBeUndefined();
    expect(parseContentMatcher('nonsense')).toBeUndefined();
    expect(() => latencySchema.parse({ content: ['nonsense'] })).toThrow(/content matcher/);
  });
});

type Ev = [atMs: number, data: string];
const token = (t: string) => JSON.stringify({ type: 'token', data: t });
const meta = '{"type":"metadata","data":{}}';

function figures(events: Ev[], config: Record<string, unknown> = {}, done = true) {
  const cfg = latencySchema.parse(config);
  const t = timelineFor(cfg);
  for (const [at, data] of events) t.event(at, 'message', data);
  if (done) t.done((events.at(-1)?.[0] ?? 0) + 1);
  t.finish();
  return { latency: streamLatency(t, events[0]?.[0], cfg.coalescing), times: streamTimes(t) };
}

describe('TTFT, ITL and coalescing from a timeline', () => {
  it('starts TTFT at the first content event, not at metadata', () => {
    const { latency } = figures([
      [50, meta],
      [2600, token('Hi')],
      [2650, token(' there')],
    ]);
    expect(latency).toMatchObject({ firstEventMs: 50, ttftMs: 2600, contentEvents: 2, e2eMs: 2651 });
    expect(latency.itl.perDelivery).toMatchObject({ count: 1, max: 50 });
  });

  it('measures steady tokens per delivery, one event each: not coalesced', () => {
    const events: Ev[] = Array.from({ length: 20 }, (_, i) => [100 + i * 30, token(`w${i}`)]);
    const { latency, times } = figures(events);
    expect(latency.coalescing).toMatchObject({ coalesced: false, deliveries: 20, eventsPerDelivery: 1 });
    expect(latency.itl.perEvent).toMatchObject({ count: 19, p50: 30, p99: 30 });
    expect(latency.itl.perDelivery).toMatchObject({ count: 19, p99: 30 });
    expect(times).toMatchObject({ ttftMs: 100, itlP99Ms: 30, done: true });
  });

  it('reports a stream released in bursts as coalesced, with the delivery gaps the reader waited', () => {
    // 30 tokens generated over time, released by a proxy in 3 bursts of 10, 800 ms apart.
    const events: Ev[] = [];
    for (let b = 0; b < 3; b++) for (let i = 0; i < 10; i++) events.push([400 + b * 800, token(`w${b}${i}`)]);
    const { latency, times } = figures(events);
    expect(latency.itl.perEvent.p50).toBe(0); // per event, the burst looks instant...
    expect(latency.coalescing).toMatchObject({ coalesced: true, deliveries: 3, eventsPerDelivery: 10, largestDelivery: 10 });
    expect(latency.itl.perDelivery).toMatchObject({ count: 2, p99: 800 }); // ...per delivery it is not
    expect(times.itlP99Ms).toBe(800);
    expect(missedSlo(times, sloSchema.parse({}))).toEqual(['itl']);
  });

  it('normalises per token with a counter, and flags events carrying many tokens', () => {
    const events: Ev[] = Array.from({ length: 5 }, (_, i) => [100 + i * 200, JSON.stringify({ type: 'token', data: 'five words in one go', n: 5 })]);
    const { latency } = figures(events, { tokenCounter: { path: 'n' } });
    expect(latency.tokens).toBe(25);
    expect(latency.itl.perToken).toMatchObject({ count: 20, p50: 40, max: 40 });
    expect(latency.coalescing).toMatchObject({ coalesced: true, tokensPerEvent: 5 });
  });

  it('reads a running token total', () => {
    const events: Ev[] = [1, 3, 6].map((n, i) => [100 + i * 90, JSON.stringify({ type: 'token', data: 'x', usage: { completion_tokens: n } })]);
    const { latency } = figures(events, { tokenCounter: { path: 'usage.completion_tokens', mode: 'total' } });
    expect(latency.tokens).toBe(6);
    expect(latency.itl.perToken).toMatchObject({ count: 5, p50: 30, max: 45 });
  });

  it('gives no per-token figures when an event lacks the count', () => {
    const { latency } = figures(
      [
        [1, JSON.stringify({ type: 'token', data: 'a', n: 1 })],
        [5, token('b')],
      ],
      { tokenCounter: { path: 'n' } },
    );
    expect(latency.tokens).toBeNull();
    expect(latency.itl.perToken).toBeNull();
  });

  it('reads the server stamp: generation gaps beside arrival gaps', () => {
    const events: Ev[] = [0, 1, 2].map((i) => [900, JSON.stringify({ type: 'token', data: 'x', t: 1_000_000 + i * 120 })]);
    const { latency } = figures(events, { generatedAtField: 't' });
    expect(latency.server?.gaps).toMatchObject({ count: 2, p50: 120 });
    expect(latency.coalescing.coalesced).toBe(true);
  });

  it('has no TTFT, and misses every objective, when no content came', () => {
    const { latency, times } = figures([[10, meta]], {}, false);
    expect(latency.ttftMs).toBeNull();
    expect(missedSlo(times, sloSchema.parse({}))).toEqual(['done', 'ttft', 'e2e']);
  });
});

describe('objectives', () => {
  const slo = sloSchema.parse({});
  it.each([
    [{ ttftMs: 400, itlP99Ms: 40, e2eMs: 3000, done: true }, []],
    [{ ttftMs: 2001, itlP99Ms: 40, e2eMs: 3000, done: true }, ['ttft']],
    [{ ttftMs: 400, itlP99Ms: 501, e2eMs: 3000, done: true }, ['itl']],
    [{ ttftMs: 400, itlP99Ms: null, e2eMs: 30_001, done: true }, ['e2e']],
    [{ ttftMs: 400, itlP99Ms: 40, e2eMs: null, done: false }, ['done', 'e2e']],
  ])('%o misses %o', (times, missed) => {
    expect(missedSlo(times, slo)).toEqual(missed);
  });
});

describe('arrival schedules', () => {
  it('spaces constant arrivals evenly and repeats a seeded Poisson schedule exactly', () => {
    expect(arrivalsUntil({ rate: 10, arrival: 'constant', seed: 1, rampMs: 0 }, 500)).toEqual([100, 200, 300, 400, 500]);
    const a = arrivalsUntil({ rate: 50, arrival: 'poisson', seed: 42, rampMs: 0 }, 2000);
    expect(arrivalsUntil({ rate: 50, arrival: 'poisson', seed: 42, rampMs: 0 }, 2000)).toEqual(a);
    expect(arrivalsUntil({ rate: 50, arrival: 'poisson', seed: 43, rampMs: 0 }, 2000)).not.toEqual(a);
  });

  it('gives a Poisson process its rate, with exponential gaps (mean ≈ sd)', () => {
    const t = arrivalsUntil({ rate: 200, arrival: 'poisson', seed: 7, rampMs: 0 }, 100_000);
    expect(t.length).toBeGreaterThan(19_400); // 20,000 expected, sd ≈ 141
    expect(t.length).toBeLessThan(20_600);
    const gaps = t.slice(1).map((v, i) => v - (t[i] as number));
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((x, y) => x + (y - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('ramps the rate linearly: a quarter of the ramp-time arrivals in its first half', () => {
    const t = arrivalsUntil({ rate: 100, arrival: 'constant', seed: 1, rampMs: 10_000 }, 20_000);
    const inFirstHalf = t.filter((v) => v <= 5000).length;
    const inRamp = t.filter((v) => v <= 10_000).length;
    expect(inRamp).toBe(500);
    expect(inFirstHalf).toBe(125);
    expect(t.length).toBe(1500); // then 100/s for 10 s
  });
});

describe('client saturation', () => {
  const b = clientBoundsSchema.parse({});
  it.each([
    [{ loopDelayP99Ms: 2, cpuPercent: 40, askedRate: 100, achievedRate: 99 }, 0],
    [{ loopDelayP99Ms: 45, cpuPercent: 40 }, 1],
    [{ loopDelayP99Ms: 2, cpuPercent: 99 }, 1],
    [{ loopDelayP99Ms: 2, cpuPercent: 40, askedRate: 100, achievedRate: 80 }, 1],
  ])('%o: %i reason(s)', (c, n) => {
    expect(clientSaturation(c, b)).toHaveLength(n);
  });
});
