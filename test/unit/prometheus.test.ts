import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';
import { judgeLag, judgeMetrics } from '../../src/checks/metrics/rules.js';
import type { Finding } from '../../src/core/finding.js';
import type { HttpObservation, TransportError } from '../../src/http/types.js';

const LIMIT_MS = 10;

/** Real prom-client text: a registry with the service label, as the reference server has. */
function registry(): Registry {
  const r = new Registry();
  r.setDefaultLabels({ service: 'gateway' });
  return r;
}

/** prom-client's event-loop lag family with chosen values (seconds), formatted by prom-client itself. */
async function lagText(values: Partial<Record<'p99' | 'min' | 'max' | 'mean' | 'lag', number>>): Promise<string> {
  const r = registry();
  for (const [key, value] of Object.entries(values)) {
    const name = key === 'lag' ? 'nodejs_eventloop_lag_seconds' : `nodejs_eventloop_lag_${key}_seconds`;
    new Gauge({ name, help: `lag ${key}`, registers: [r] }).set(value);
  }
  return r.metrics();
}

function metricsObs(status: number, body: string): HttpObservation {
  return {
    kind: 'http',
    purpose: 'metrics',
    target: 'gateway',
    request: { method: 'GET', url: 'http://127.0.0.1:8080/metrics', headers: {} },
    response: { status, headers: {}, rawHeaders: [], body, bodyBytes: Buffer.byteLength(body), truncated: false },
    unreachable: false,
    timings: { startedAt: '2026-01-01T00:00:00.000Z', ttfbMs: 3, totalMs: 4 },
    attempts: 1,
  };
}

function failedObs(error: TransportError, unreachable = true): HttpObservation {
  const { response: _, ...rest } = metricsObs(200, '');
  return { ...rest, error, unreachable };
}

const byId = (findings: Finding[], id: string) => findings.find((f) => f.id === id);

describe('parseExposition on prom-client output', () => {
  it('parses every line of a real default-metrics scrape, twice in a row (the second may print Nan)', async () => {
    const r = registry();
    collectDefaultMetrics({ register: r });
    for (const text of [await r.metrics(), await r.metrics()]) {
      const exp = parseExposition(text);
      expect(exp.errors).toEqual([]);
      expect(exp.families.get('nodejs_eventloop_lag_p99_seconds')?.type).toBe('gauge');
      const gc = exp.families.get('nodejs_gc_duration_seconds');
      expect(gc?.type).toBe('histogram');
      expect(exp.families.has('nodejs_gc_duration_seconds_bucket')).toBe(false);
      expect(sampleValue(exp, 'process_cpu_user_seconds_total', { service: 'gateway' })).toBeGreaterThanOrEqual(0);
    }
  });

  it('label values with escapes (backslash, quote, newline) and with , and } inside', async () => {
    const r = registry();
    const g = new Gauge({ name: 'odd_labels', help: 'a help with \\ and\nnewline', labelNames: ['path'], registers: [r] });
    g.set({ path: 'C:\\dir "quoted"\nnext, {x}' }, 7);
    const exp = parseExposition(await r.metrics());
    expect(exp.errors).toEqual([]);
    expect(exp.families.get('odd_labels')?.samples).toEqual([{ name: 'odd_labels', labels: { path: 'C:\\dir "quoted"\nnext, {x}', service: 'gateway' }, value: 7 }]);
  });

  it('+Inf, -Inf and NaN values (prom-client writes Nan)', async () => {
    const r = registry();
    const g = new Gauge({ name: 'specials', help: 'h', labelNames: ['v'], registers: [r] });
    g.set({ v: 'pinf' }, Infinity);
    g.set({ v: 'ninf' }, -Infinity);
    g.set({ v: 'nan' }, NaN);
    const text = await r.metrics();
    expect(text).toContain(' Nan\n');
    const exp = parseExposition(text);
    expect(exp.errors).toEqual([]);
    expect(sampleValue(exp, 'specials', { v: 'pinf' })).toBe(Infinity);
    expect(sampleValue(exp, 'specials', { v: 'ninf' })).toBe(-Infinity);
    expect(sampleValue(exp, 'specials', { v: 'nan' })).toBeNaN();
  });

  it('histograms: _bucket (le="+Inf"), _sum and _count belong to their family; counters keep _total', async () => {
    const r = registry();
    const h = new Histogram({ name: 'answer_seconds', help: 'h', buckets: [0.1, 1], registers: [r] });
    h.observe(0.05);
    h.observe(5);
    new Counter({ name: 'requests_total', help: 'c', registers: [r] }).inc(3);
    const exp = parseExposition(await r.metrics());
    const family = exp.families.get('answer_seconds');
    expect(family?.type).toBe('histogram');
    expect(family?.samples.map((s) => s.name)).toEqual(['answer_seconds_bucket', 'answer_seconds_bucket', 'answer_seconds_bucket', 'answer_seconds_sum', 'answer_seconds_count']);
    expect(sampleValue(exp, 'answer_seconds_bucket', { le: '+Inf' })).toBe(2);
    expect(sampleValue(exp, 'answer_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(sampleValue(exp, 'answer_seconds_sum')).toBeCloseTo(5.05);
    expect(exp.families.get('requests_total')?.samples[0]?.value).toBe(3);
  });
});

describe('parseExposition on hand-written text', () => {
  it('collects malformed lines as errors (with line numbers) and keeps every good line', () => {
    const text = [
      '# HELP up whether it is up',
      '# TYPE up gauge',
      'up 1',
      'this is not a sample',
      'broken{a="unterminated 1',
      'bare_label{a=b} 1',
      'no_value{a="b"}',
      'word_value twelve',
      '{a="b"} 3',
      '# just a comment',
      'with_timestamp{a="b"} 1e-3 1700000000000',
      'crlf_line 2\r',
    ].join('\n');
    const exp = parseExposition(text);
    expect(exp.errors.map((e) => [e.line, e.message])).toEqual([
      [4, 'not a sample value: "is"'],
      [5, 'unterminated label value'],
      [6, 'malformed label set'],
      [7, 'not a sample value: ""'],
      [8, 'not a sample value: "twelve"'],
      [9, 'expected a metric name'],
    ]);
    expect(sampleValue(exp, 'up')).toBe(1);
    expect(sampleValue(exp, 'with_timestamp', { a: 'b' })).toBe(0.001);
    expect(sampleValue(exp, 'crlf_line')).toBe(2);
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '\n\n', '{', '}', 'a{', 'a{b', 'a{b=', 'a{b="', 'a{b="\\', '#', '# TYPE', '\u0000\uFFFF', 'x'.repeat(10_000)]) {
      expect(() => parseExposition(text)).not.toThrow();
    }
  });
});

describe('judgeLag: the event-loop lag against the 10 ms contract', () => {
  it.each([
    [
      'pass: an idle default prom-client process (p99 includes the 10 ms sampling interval)',
      { p99: 0.012976, min: 0.010108, max: 0.012976, mean: 0.0103 },
      'pass',
      /^2\.98 ms \(p99 12\.98 ms minus the 10\.00 ms sampling floor\)/,
    ],
    ['fail: a busy loop', { p99: 0.0675, min: 0.0051, max: 0.0675, mean: 0.02 }, 'fail', /^62\.50 ms/],
    ['fail: just above the limit over the floor', { p99: 0.0151, min: 0.00503 }, 'fail', /^10\.10 ms/],
    ['pass: exactly the limit over the floor', { p99: 0.015, min: 0.005 }, 'pass', /^10\.00 ms/],
    ['fail: p99 without a minimum is judged as is', { p99: 0.0105 }, 'fail', /^10\.50 ms$/],
    ['the instantaneous lag when no p99 is exposed: pass', { lag: 0.002 }, 'pass', /^2\.00 ms$/],
    ['the instantaneous lag when no p99 is exposed: fail', { lag: 0.011 }, 'fail', /^11\.00 ms$/],
  ] as const)('%s', async (_, values, status, observed) => {
    const f = judgeLag(parseExposition(await lagText(values)), LIMIT_MS, 'gateway');
    expect(f).toMatchObject({ id: 'metrics.eventloop-lag', target: 'gateway', status });
    expect(f.observed).toMatch(observed);
    if (status === 'fail') expect(f.remedy).toMatch(/event loop/);
  });

  it.each([
    ['an empty histogram window (max 0, mean Nan: another scrape just reset it)', { p99: 5.11e-7, min: 9223372036.854776, max: 0, mean: NaN }, /no samples/],
    ['a NaN p99', { p99: NaN, min: 0.005 }, /is NaN/],
    ['no lag metric at all (e.g. a Python service)', {}, /none of nodejs_eventloop_lag_p99_seconds, nodejs_eventloop_lag_seconds is exposed/],
  ] as const)('%s → skip with the reason, never pass', async (_, values, reason) => {
    const f = judgeLag(parseExposition(await lagText(values)), LIMIT_MS, 'rag');
    expect(f).toMatchObject({ id: 'metrics.eventloop-lag', target: 'rag', status: 'skip' });
    expect(f.observed).toMatch(reason);
  });
});

describe('judgeMetrics: one /metrics observation → metrics.available + metrics.eventloop-lag', () => {
  it('200 with a clean exposition: available passes and the lag is judged', async () => {
    const { findings } = judgeMetrics(metricsObs(200, await lagText({ p99: 0.006, min: 0.005 })), LIMIT_MS, 'gateway');
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['metrics.available', 'pass'],
      ['metrics.eventloop-lag', 'pass'],
    ]);
    expect(byId(findings, 'metrics.available')?.observed).toBe('2 metric families');
  });

  it('200 with a malformed line: available warns quoting the line; the rest is still judged', async () => {
    const body = `${await lagText({ p99: 0.03, min: 0.005 })}garbage line\n`;
    const { findings } = judgeMetrics(metricsObs(200, body), LIMIT_MS, 'gateway');
    expect(byId(findings, 'metrics.available')).toMatchObject({ status: 'warn', observed: expect.stringMatching(/^line \d+: not a sample value: "line": garbage line$/) });
    expect(byId(findings, 'metrics.eventloop-lag')?.status).toBe('fail');
  });

  const noObservation: Array<[string, HttpObservation | undefined, Array<[string, string]>, RegExp]> = [
    ['no metrics path configured', undefined, [['metrics.available', 'skip']], /metricsPath: null/],
    [
      '404',
      metricsObs(404, '{"error":"not found"}'),
      [
        ['metrics.available', 'skip'],
        ['metrics.eventloop-lag', 'skip'],
      ],
      /GET http:\/\/127\.0\.0\.1:8080\/metrics answered 404: the target exposes no metrics there/,
    ],
    [
      '500',
      metricsObs(500, 'oops'),
      [
        ['metrics.available', 'fail'],
        ['metrics.eventloop-lag', 'skip'],
      ],
      /^500$/,
    ],
    [
      '200 with an empty body',
      metricsObs(200, ''),
      [
        ['metrics.available', 'warn'],
        ['metrics.eventloop-lag', 'skip'],
      ],
      /^0 metric families$/,
    ],
    [
      'connection refused',
      failedObs({ code: 'refused', message: 'connection refused at 127.0.0.1:8080 — is the service running?' }),
      [['metrics.available', 'fail']],
      /^gateway: connection refused at 127\.0\.0\.1:8080/,
    ],
    [
      'aborted by Ctrl-C',
      failedObs({ code: 'aborted', message: 'request to 127.0.0.1:8080 aborted' }, false),
      [['metrics.available', 'skip']],
      /^not judged: request to 127\.0\.0\.1:8080 aborted/,
    ],
  ];

  it.each(noObservation)('%s: never a pass', (_, obs, expected, observed) => {
    const { findings } = judgeMetrics(obs, LIMIT_MS, 'gateway');
    expect(findings.map((f) => [f.id, f.status])).toEqual(expected);
    expect(findings[0]?.observed).toMatch(observed);
    expect(findings.some((f) => f.status === 'pass')).toBe(false);
  });

  it('an unreachable target is flagged (exit 3); an aborted request is not', () => {
    const refused = judgeMetrics(failedObs({ code: 'refused', message: 'connection refused' }), LIMIT_MS, 'gateway').findings[0];
    expect(refused).toMatchObject({ status: 'fail', unreachable: true, target: 'gateway' });
    const aborted = judgeMetrics(failedObs({ code: 'aborted', message: 'aborted' }, false), LIMIT_MS, 'gateway').findings[0];
    expect(aborted?.unreachable).toBeUndefined();
  });
});
