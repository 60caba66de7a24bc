import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/checks/load/histogram.js';
import { judgeLoad } from '../../src/checks/load/rules.js';
import { readWindow } from '../../src/checks/load/scrape.js';
import type { LoadRecord, ScrapeRecord } from '../../src/checks/load/types.js';
import { parseExposition } from '../../src/prometheus/exposition.js';
import { BucketHistogram } from '../../src/prometheus/bucket-histogram.js';
import { clientBoundsSchema } from '../../src/latency/saturation.js';
import { sloSchema } from '../../src/latency/slo.js';
import { GAP_BUCKETS_S, LATENCY_BUCKETS_S } from '../../src/prometheus/buckets.js';

const T = { successRate: 0.999, firstEventP99Ms: 5000, eventLoopLagMs: 10, goodput: 0.99, slo: sloSchema.parse({}), client: clientBoundsSchema.parse({}) };

function buckets(bounds: readonly number[], values: number[]) {
  const h = new BucketHistogram(bounds);
  for (const ms of values) h.observe(ms / 1000);
  return h.toJSON();
}

function histogram(values: number[]) {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
}

function run(over: Partial<LoadRecord> = {}): LoadRecord {
  return {
    url: 'http://127.0.0.1:8000/bali-zero/chat-stream?query=hello',
    method: 'GET',
    framing: 'sse',
    connections: 100,
    rampMs: 1000,
    durationMs: 2000,
    graceMs: 10_000,
    sourceAddresses: 1,
    startedAt: '2026-11-24T16:00:00.000Z',
    elapsedMs: 2300,
    started: 1000,
    opened: 1000,
    completed: 1000,
    failed: 0,
    failures: {},
    aborted: 0,
    peakOpen: 100,
    allOpenAtMs: 1000,
    events: 15_000,
    eventsPerSecond: 6500,
    bytes: 780_000,
    firstEvent: histogram([1, 2, 3, 40]),
    done: histogram([300, 310]),
    ttft: histogram([40, 45, 50, 60]),
    itl: histogram([20, 21, 22, 25]),
    e2e: histogram([300, 310]),
    buckets: { ttft: buckets(LATENCY_BUCKETS_S, [40, 45, 50, 60]), itl: buckets(GAP_BUCKETS_S, [20, 21, 22, 25]), e2e: buckets(LATENCY_BUCKETS_S, [300, 310]) },
    goodput: { good: 1000, judged: 1000, missed: {}, slo: { ttftMs: 2000, itlP99Ms: 500, e2eMs: 30_000 } },
    coalescedStreams: 0,
    arrivals: null,
    stamps: null,
    client: {
      cpuUserMs: 500,
      cpuSystemMs: 100,
      cpuPercent: 26,
      rssBaselineBytes: 60e6,
      rssPeakBytes: 80e6,
      kibPerStream: 190,
      loopDelayP99Ms: 1,
      loopDelayMaxMs: 5,
      holdLoopDelayP99Ms: 0.5,
    },
    samples: [],
    overTime: { stepMs: 50, points: [] },
    interrupted: false,
    ...over,
  };
}

const windows = (...lags: number[]): ScrapeRecord => ({
  url: 'http://127.0.0.1:8000/metrics',
  missing: [],
  windows: [{ atMs: 0, baseline: true, activeStreams: 0 }, ...lags.map((lag, i) => ({ atMs: (i + 1) * 1000, activeStreams: 100, lagP99Ms: lag, lagMaxMs: lag + 2, floorMs: 1 }))],
});

const byId = (findings: ReturnType<typeof judgeLoad>) => Object.fromEntries(findings.map((f) => [f.id, f]));

describe('judgeLoad', () => {
  it('passes a run where every stream ended with done, fast, on a calm loop', () => {
    const f = byId(judgeLoad(run(), windows(2, 3), T));
    expect(f['load.success-rate']).toMatchObject({ status: 'pass', evidence: { serverActiveStreamsPeak: 100 } });
    expect(f['load.first-event-p99']?.status).toBe('pass');
    expect(f['load.eventloop-lag']).toMatchObject({ status: 'pass', observed: expect.stringContaining('0 of 2 windows over the limit') });
  });

  it('success rate: 99.8% of 1000 fails the 99.9% contract, naming the causes and the fix', () => {
    const f = byId(judgeLoad(run({ completed: 998, failed: 2, failures: { 'http 503': 2 } }), windows(2), T))['load.success-rate'];
    expect(f).toMatchObject({ status: 'fail', observed: expect.stringContaining('failed: 2 (http 503: 2)'), remedy: expect.stringContaining('concurrency limit') });
    expect(f?.unreachable).toBeUndefined();
  });

  it('success rate: nothing ever answered is unreachable (exit 3), not merely failed', () => {
    const f = byId(judgeLoad(run({ opened: 0, completed: 0, failed: 100, failures: { refused: 100 } }), windows(2), T))['load.success-rate'];
    expect(f).toMatchObject({ status: 'fail', unreachable: true });
  });

  it('streams aborted by an interrupt are neither success nor failure', () => {
    const f = byId(judgeLoad(run({ completed: 500, aborted: 100, interrupted: true }), windows(2), T));
    expect(f['load.success-rate']?.status).toBe('pass');
    expect(f['load.eventloop-lag']?.status).toBe('skip');
  });

  it('first event p99 above the threshold fails; no event at all skips', () => {
    expect(byId(judgeLoad(run({ firstEvent: histogram([1, 2, 6000]) }), windows(2), { ...T, firstEventP99Ms: 5000 }))['load.first-event-p99']?.status).toBe('fail');
    expect(byId(judgeLoad(run({ firstEvent: histogram([]) }), windows(2), T))['load.first-event-p99']?.status).toBe('skip');
  });

  it('event-loop lag: one window over 10 ms fails; no metrics skips with the reason', () => {
    expect(byId(judgeLoad(run(), windows(2, 61, 3), T))['load.eventloop-lag']).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('1 of 3 windows over the limit'),
    });
    const none: ScrapeRecord = { url: null, unavailable: 'no metrics path configured', missing: [], windows: [] };
    expect(byId(judgeLoad(run(), none, T))['load.eventloop-lag']).toMatchObject({ status: 'skip', observed: 'not judged: no metrics path configured' });
    const noLag: ScrapeRecord = {
      url: 'x',
      missing: ['nodejs_eventloop_lag_p99_seconds / nodejs_eventloop_lag_max_seconds'],
      windows: [
        { atMs: 0, baseline: true },
        { atMs: 1000, activeStreams: 3 },
      ],
    };
    expect(byId(judgeLoad(run(), noLag, T))['load.eventloop-lag']?.observed).toMatch(/exposes no nodejs_eventloop_lag_p99_seconds/);
  });
});

describe('readWindow: one scrape of prom-client metrics', () => {
  const text = (p99: string, max: string, min: string, mean = '0.002') =>
    [
      '# TYPE sse_active_streams gauge',
      'sse_active_streams{service="rag",route="a"} 7',
      'sse_active_streams{service="rag",route="b"} 3',
      `nodejs_eventloop_lag_p99_seconds ${p99}`,
      `nodejs_eventloop_lag_max_seconds ${max}`,
      `nodejs_eventloop_lag_min_seconds ${min}`,
      `nodejs_eventloop_lag_mean_seconds ${mean}`,
    ].join('\n');

  it('sums the gauge series and subtracts the sampling floor from the lag', () => {
    expect(readWindow(parseExposition(text('0.0125', '0.031', '0.0101')), 'sse_active_streams', new Set())).toEqual({
      activeStreams: 10,
      lagP99Ms: 2.5,
      lagMaxMs: 21,
      floorMs: 10,
    });
  });

  it('an empty window (just reset by another scraper) says so instead of a lag', () => {
    expect(readWindow(parseExposition(text('0', '0', '0', 'NaN')), 'sse_active_streams', new Set())).toEqual({ activeStreams: 10, emptyWindow: true });
  });

  it('names what is missing', () => {
    const missing = new Set<string>();
    expect(readWindow(parseExposition('up 1'), 'sse_active_streams', missing)).toEqual({});
    expect([...missing]).toEqual(['sse_active_streams', 'nodejs_eventloop_lag_p99_seconds / nodejs_eventloop_lag_max_seconds']);
  });
});

describe('load latency, goodput and a saturated client', () => {
  const arrivals = (achieved: number) => ({
    arrival: 'poisson' as const,
    seed: 1,
    rate: 50,
    scheduled: 500,
    askedRate: 50,
    started: achieved * 10,
    achievedRate: achieved,
    lateP99Ms: 1,
    lateMaxMs: 3,
    waitedForSlot: 0,
  });

  it('passes TTFT, ITL, e2e and goodput within the objectives, with p50/p90/p99/max in the findings', () => {
    const f = byId(judgeLoad(run({ arrivals: arrivals(49.6) }), windows(2), T));
    expect(f['load.ttft']).toMatchObject({
      status: 'pass',
      title: expect.stringMatching(/^time to first token under load: p99 60 ms/),
      observed: expect.stringMatching(/^p50 45 ms, p90 60 ms, p99 60 ms, max 60 ms over 4 streams/),
    });
    expect(f['load.itl']?.status).toBe('pass');
    expect(f['load.e2e']?.status).toBe('pass');
    expect(f['load.goodput']).toMatchObject({ status: 'pass', title: 'goodput 100%: 1000 of 1000 streams good (need >= 99%)' });
    expect(f['load.success-rate']?.observed).toContain('open loop: 49.6 of 50 streams/s asked');
  });

  it('fails TTFT p99 beyond the objective, and goodput when streams that ended with done missed it', () => {
    const slow = run({ ttft: histogram([40, 2500, 2600, 2700]), goodput: { good: 900, judged: 1000, missed: { ttft: 100 }, slo: {} } });
    const f = byId(judgeLoad(slow, windows(2), T));
    expect(f['load.ttft']).toMatchObject({ status: 'fail', title: expect.stringContaining('p99 2700 ms (limit 2000 ms)') });
    expect(f['load.goodput']).toMatchObject({
      status: 'fail',
      title: 'goodput 90%: 900 of 1000 streams good (need >= 99%)',
      observed: expect.stringContaining('missed: ttft 100'),
    });
    expect(f['load.success-rate']?.status).toBe('pass'); // every stream ended with done: success alone would hide it
  });

  it.each([
    ['its event loop lagged', { client: { ...run().client, loopDelayP99Ms: 80 } }, /event-loop delay p99 was 80 ms/],
    ['it used a whole core', { client: { ...run().client, cpuPercent: 100 } }, /used 100% CPU/],
    ['it started fewer streams than asked', { arrivals: arrivals(30) }, /started 30 streams\/s of the 50 asked/],
  ])('a slow run is inconclusive, not a server failure, when %s', (_why, over, reason) => {
    const slow = run({ ...over, ttft: histogram([40, 2500, 2600, 2700]), goodput: { good: 10, judged: 1000, missed: { ttft: 990 }, slo: {} } });
    const f = byId(judgeLoad(slow, windows(2), T));
    for (const id of ['load.ttft', 'load.goodput', 'load.first-event-p99', 'load.itl', 'load.e2e']) {
      expect(f[id]?.status, id).toBe('skip');
    }
    expect(f['load.ttft']).toMatchObject({
      title: expect.stringMatching(/^inconclusive: the load client saturated/),
      observed: expect.stringMatching(reason),
      evidence: { wouldBe: 'fail' },
    });
    expect(f['load.goodput']?.evidence).toMatchObject({ wouldBe: 'fail' });
    expect(f['load.eventloop-lag']?.status).toBe('pass'); // the server's own metric is not the client's
  });
});
