import { describe, expect, it } from 'vitest';
import { compileDoneRule, DEFAULT_DONE_RULE } from '../../src/sse/done.js';
import { LatencyHistogram } from '../../src/checks/load/histogram.js';
import { checkLimits, isLoopbackHost, sourceAddresses } from '../../src/checks/load/limits.js';

describe('LatencyHistogram (fixed memory, HDR-style)', () => {
  it('is exact below 0.256 ms', () => {
    const h = new LatencyHistogram();
    for (const v of [0.001, 0.1, 0.255]) h.record(v);
    expect(h.summary()).toMatchObject({ count: 3, minMs: 0.001, maxMs: 0.255, p50Ms: 0.1 });
  });

  it('reports every percentile within 1/128 above the true value, never beyond the max', () => {
    const h = new LatencyHistogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.5 + i * 0.731);
    for (const v of values) h.record(v);
    for (const p of [50, 95, 99]) {
      const truth = values[Math.ceil((p / 100) * values.length) - 1] as number;
      const got = h.percentile(p);
      expect(got).toBeGreaterThanOrEqual(truth - 0.001);
      expect(got).toBeLessThanOrEqual(truth * (1 + 1 / 128) + 0.001);
    }
    expect(h.percentile(100)).toBe(h.summary().maxMs);
  });

  it('keeps its counts in buckets that add up, for the JSON report', () => {
    const h = new LatencyHistogram();
    for (const v of [1, 2, 2, 3000, 4_000_000]) h.record(v);
    const json = h.toJSON() as { count: number; buckets: Array<[number, number, number]> };
    expect(json.count).toBe(5);
    expect(json.buckets.reduce((n, b) => n + b[2], 0)).toBe(5);
    for (const [low, high] of json.buckets) expect(low).toBeLessThanOrEqual(high);
  });

  it('an empty histogram has no percentiles (null in JSON)', () => {
    const json = new LatencyHistogram().toJSON();
    expect(json).toMatchObject({ count: 0, p99: null, max: null, buckets: [] });
  });
});

describe('compileDoneRule: the three sentinels seen in the field', () => {
  const isDone = compileDoneRule(DEFAULT_DONE_RULE);
  it.each([
    ['JSON type done', { data: '{"type":"done","data":null}' }, true],
    ['JSON type done hidden behind an escape', { data: '{"type":"\\u0064one"}' }, true],
    ['event: done with data', { event: 'done', data: '{}' }, true],
    ['data: [DONE]', { data: '[DONE]' }, true],
    ['a token that mentions done', { data: '{"type":"token","data":"done"}' }, false],
    ['a token', { data: '{"type":"token","data":"Bali"}' }, false],
    ['not JSON', { data: 'done' }, false],
  ])('%s', (_name, message, expected) => {
    expect(isDone(message)).toBe(expected);
  });
});

describe('limits', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.3.2.1', true],
    ['[::1]', true],
    ['localhost', true],
    ['app.localhost', true],
    ['example.invalid', false],
    ['127.0.0.1.nip.io', false],
    ['10.0.0.1', false],
  ])('isLoopbackHost(%s) = %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('spreads loopback IPv4 connections over 127.0.0.x sources, ~1,000 each, at most 16', () => {
    expect(sourceAddresses(new URL('http://127.0.0.1:8000/'), 500)).toEqual([undefined]);
    expect(sourceAddresses(new URL('http://127.0.0.1:8000/'), 10_000)).toHaveLength(10);
    expect(sourceAddresses(new URL('http://127.0.0.1:8000/'), 50_000)).toHaveLength(16);
    expect(sourceAddresses(new URL('http://[::1]:8000/'), 10_000)).toEqual([undefined]);
    expect(sourceAddresses(new URL('https://rag.example.com/'), 10_000)).toEqual([undefined]);
  });

  const base = { yes: false, fdLimit: 20_000, durationMs: 10_000, rampMs: 1000 };
  it('refuses more than 200 streams to a remote host without --yes, allows it with', () => {
    expect(() => checkLimits({ ...base, connections: 201, rag: new URL('https://rag.example.com') })).toThrow(/needs --yes/);
    expect(() => checkLimits({ ...base, connections: 200, rag: new URL('https://rag.example.com') })).not.toThrow();
    expect(() => checkLimits({ ...base, connections: 5000, rag: new URL('https://rag.example.com'), yes: true })).not.toThrow();
    expect(() => checkLimits({ ...base, connections: 5000, rag: new URL('http://127.0.0.1:8000') })).not.toThrow();
  });

  it('refuses more streams than open files allow, naming the largest N that fits', () => {
    expect(() => checkLimits({ ...base, connections: 19_901, rag: undefined })).toThrow('at most 19900 streams fit');
    expect(() => checkLimits({ ...base, connections: 19_900, rag: undefined })).not.toThrow();
    expect(() => checkLimits({ ...base, connections: 1_000_000, rag: undefined, fdLimit: undefined })).not.toThrow();
  });

  it('refuses a ramp that does not fit in the window', () => {
    expect(() => checkLimits({ ...base, connections: 10, rag: undefined, rampMs: 10_000 })).toThrow(/--ramp 10000 ms/);
  });
});
