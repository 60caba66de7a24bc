/**
 * `load`'s latency verdicts against the reference server's pacing and faults, through the built
 * CLI. The client bounds are set out of reach where the subject is the server's verdict (on a
 * shared 2-core machine the client's own loop delay would otherwise make them inconclusive), and
 * set to nothing where the subject is the inconclusive verdict itself. No timing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configArgs, runJson, statusOf, type JsonFinding } from '../helpers/cli.js';
import { GAP_BUCKETS_S, LATENCY_BUCKETS_S } from '../../src/prometheus/buckets.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-load-latency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (name: string, body: object) => configArgs(dir, name, body);

/** The server's verdict is the subject: the client may be as busy as the shared machine makes it. */
const TRUST_CLIENT = config('trust', { load: { client: { loopDelayP99Ms: 60_000, cpuPercent: 100_000, rateShare: 0.01 } } });
/** The pass side, deterministic on a machine so busy the clean server's own lag reaches 500 ms: objectives a clean answer cannot miss. */
const WIDE_SLO = config('wide', {
  load: { client: { loopDelayP99Ms: 60_000, cpuPercent: 100_000, rateShare: 0.01 } },
  stream: { slo: { ttftMs: 20_000, itlP99Ms: 20_000, e2eMs: 60_000 } },
});
// The RAG's own event-loop lag is load.eventloop-lag's subject (test/integration/load.test.ts), and a busy machine moves it.
const PACE = ['--ttft', '0', '--token-interval', '10', '--jitter', '0', '--skip', 'load.eventloop-lag'];

/** 20 streams for a second against one fault: the verdict is the subject, the client trusted. */
const faultRun = (fault: string) => runJson(['load', '--local', '--fault', fault, '--connections', '20', '--ramp', '200', '--duration', '1', '--no-log', ...PACE, ...TRUST_CLIENT]);

type F = JsonFinding & { title: string; observed: string; evidence?: Record<string, unknown> };
const byId = (findings: JsonFinding[], id: string) => findings.find((f) => f.id === id) as F | undefined;

describe('load latency verdicts', () => {
  it('clean server within its objectives, closed loop: TTFT, ITL, e2e and goodput pass; the JSON has the fixed-bucket histograms', async () => {
    const { result, report } = await runJson(['load', '--local', '--connections', '50', '--duration', '2', '--no-log', ...PACE, ...WIDE_SLO]);
    expect(result.code, result.stdout).toBe(0);
    for (const id of ['load.ttft', 'load.itl', 'load.e2e', 'load.goodput']) expect(statusOf(report, id), id).toEqual(['pass']);
    const ttft = byId(report.findings, 'load.ttft');
    expect(ttft?.observed).toMatch(/^p50 .* ms, p90 .* ms, p99 .* ms, max .* ms over \d+ streams/);
    expect(ttft?.evidence?.buckets).toMatchObject({ unit: 's', le: [...LATENCY_BUCKETS_S] });
    expect(byId(report.findings, 'load.itl')?.evidence?.buckets).toMatchObject({ le: [...GAP_BUCKETS_S] });
    const goodput = byId(report.findings, 'load.goodput')?.evidence as { good: number; judged: number };
    expect(goodput.good).toBe(goodput.judged);
  });

  it('slow-first-token: load.ttft and load.goodput fail while every stream still ends with done', async () => {
    const { result, report } = await faultRun('slow-first-token=2500');
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['pass']);
    expect(statusOf(report, 'load.first-event-p99')).toEqual(['pass']); // metadata comes at once
    expect(statusOf(report, 'load.ttft')).toEqual(['fail']);
    expect(byId(report.findings, 'load.goodput')).toMatchObject({ status: 'fail', observed: expect.stringContaining('missed: ttft') });
  });

  it('stalls: load.itl fails on the pause mid-answer', async () => {
    const { report } = await faultRun('stalls=1500');
    expect(statusOf(report, 'load.itl')).toEqual(['fail']);
    expect(byId(report.findings, 'load.goodput')?.observed).toContain('missed: itl');
  });

  it('open loop: a seeded Poisson schedule, achieved against asked rate reported', async () => {
    const args = ['load', '--local', '--rate', '40', '--arrival', 'poisson', '--seed', '7', '--ramp', '0', '--duration', '2', '--no-log', ...PACE, ...TRUST_CLIENT];
    const { result, report } = await runJson(args);
    expect(result.code, result.stdout).toBe(0);
    const arrivals = byId(report.findings, 'load.success-rate')?.evidence?.arrivals as { scheduled: number; started: number; seed: number; arrival: string };
    expect(arrivals).toMatchObject({ seed: 7, arrival: 'poisson', rate: 40 });
    expect(arrivals.scheduled).toBeGreaterThan(40); // 80 expected in 2 s
    expect(arrivals.started).toBeLessThanOrEqual(arrivals.scheduled);
    // The same seed places the same arrivals.
    const again = await runJson(args);
    expect(byId(again.report.findings, 'load.success-rate')?.evidence?.arrivals).toMatchObject({ scheduled: arrivals.scheduled });
  });

  it('a saturated client is inconclusive, never a server failure: one slot for 50 streams/s cannot keep the rate', async () => {
    const { result, report } = await runJson(['load', '--local', '--rate', '50', '--connections', '1', '--ramp', '0', '--duration', '1', '--no-log', ...PACE]);
    expect(result.code, result.stdout).toBe(0);
    for (const id of ['load.ttft', 'load.itl', 'load.e2e', 'load.goodput', 'load.first-event-p99']) {
      const f = byId(report.findings, id);
      expect(f?.status, id).toBe('skip');
      expect(f?.title, id).toMatch(/^inconclusive: the load client saturated/);
    }
    expect(byId(report.findings, 'load.ttft')?.observed).toMatch(/started [\d.]+ streams\/s of the [\d.]+ asked/);
  });
});
