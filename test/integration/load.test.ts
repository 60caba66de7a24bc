/**
 * `load` against the reference server, through the built CLI. Sizes are CI-sized (200 streams
 * for 2 s: the clean reference server keeps its event-loop lag far under 10 ms there, even on a
 * busy 2-core machine); the large runs live in bench/. No timing is asserted, only verdicts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runJson, statusOf, type CliResult, type JsonFinding } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-load-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type WithEvidence = JsonFinding & { evidence?: Record<string, unknown> };
const evidenceOf = (findings: JsonFinding[], id: string) => (findings.find((f) => f.id === id) as WithEvidence | undefined)?.evidence ?? {};

/** Preloaded into the CLI: any socket connect (which comes before any DNS lookup) is reported on stderr and refused. */
const GUARD = join(dir, 'no-network.cjs');
writeFileSync(
  GUARD,
  `const net = require('node:net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  if (o.path === undefined) {
    process.stderr.write('NETWORK-GUARD: connect to ' + o.host + ':' + o.port + '\\n');
    throw new Error('network used');
  }
  return connect.apply(this, args);
};
`,
);

/** Run the CLI under a lower open-file limit (soft and hard: Node raises the soft limit to the hard one at start). */
function runWithFdLimit(limit: number, args: string[]): Promise<CliResult> {
  return runCli(args, { shellPrefix: `ulimit -n ${limit} &&`, timeoutMs: 30_000 });
}

/** A timing finding's status; an inconclusive skip (the client saturated) reads as the verdict it would have had. */
function timedVerdict(report: { findings: JsonFinding[] }, id: string): string | undefined {
  const f = report.findings.find((x) => x.id === id) as WithEvidence | undefined;
  if (f?.status === 'skip' && typeof f.evidence?.inconclusive === 'string') return f.evidence.wouldBe as string;
  return f?.status;
}

describe('load --local', () => {
  it('passes on the clean server: 200 streams held for 2 s, all end with done', async () => {
    const { result, report } = await runJson(['load', '--local', '--connections', '200', '--duration', '2', '--no-log']);
    expect(result.code, result.stdout).toBe(0);
    expect(statusOf(report, 'load.success-rate')).toEqual(['pass']);
    // A timing verdict passes, or (on a machine too busy for the client) is inconclusive with the reason: never a fail.
    expect(timedVerdict(report, 'load.first-event-p99')).toBe('pass');
    expect(statusOf(report, 'load.eventloop-lag')).toEqual(['pass']);
    const summary = evidenceOf(report.findings, 'load.success-rate');
    expect(summary).toMatchObject({ connections: 200, peakOpen: 200, failed: 0, serverActiveStreamsPeak: expect.any(Number) });
    expect(summary.completed).toBe(summary.started);
    // The JSON report carries the whole histograms, not only their percentiles.
    const latency = evidenceOf(report.findings, 'load.first-event-p99') as { firstEvent: { count: number; buckets: unknown[] }; done: { count: number } };
    expect(latency.firstEvent.count).toBe(summary.completed);
    expect(latency.firstEvent.buckets.length).toBeGreaterThan(0);
    expect(latency.done.count).toBe(summary.completed);
  });

  it('fault max-streams=50: streams beyond 50 get 503, load.success-rate fails', async () => {
    const { result, report } = await runJson(['load', '--local', '--fault', 'max-streams=50', '--connections', '200', '--duration', '2', '--no-log']);
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['fail']);
    const summary = evidenceOf(report.findings, 'load.success-rate') as { failures: Record<string, number>; peakOpen: number };
    expect(summary.failures['http 503']).toBeGreaterThan(0);
    expect(summary.peakOpen).toBeLessThanOrEqual(50);
  });

  it('fault eventloop-lag: load.eventloop-lag fails', async () => {
    const { result, report } = await runJson(['load', '--local', '--fault', 'eventloop-lag', '--connections', '50', '--duration', '2', '--no-log']);
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.eventloop-lag')).toEqual(['fail']);
    expect(statusOf(report, 'load.success-rate')).toEqual(['pass']);
  });

  it('a RAG without metrics: load.eventloop-lag is skipped with the reason, never passed', async () => {
    const { result, report } = await runJson(['load', '--local', '--fault', 'no-metrics', '--connections', '20', '--duration', '1', '--ramp', '100', '--no-log']);
    expect(result.code, result.stdout).toBe(0);
    expect(statusOf(report, 'load.eventloop-lag')).toEqual(['skip']);
    expect(report.findings.find((f) => f.id === 'load.eventloop-lag')?.observed).toMatch(/answered 404/);
  });
});

describe('load refuses what it should not do, before sending anything', () => {
  it('more than 200 streams to a host that is not loopback needs --yes: exit 2, no connect, no DNS', async () => {
    const r = await runCli(['load', '--rag', 'https://example.invalid', '--connections', '300'], { env: { NODE_OPTIONS: `--require ${GUARD}` } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('zantara-audit: --connections 300 to example.invalid: more than 200 concurrent streams to a host that is not loopback needs --yes');
    expect(r.stderr).toMatch(/hint: .*degrade a production service/);
    expect(r.stderr).not.toContain('NETWORK-GUARD');
  });

  it('the guard above does see a connect (control: 10 streams are allowed without --yes)', async () => {
    const r = await runCli(['load', '--rag', 'https://example.invalid', '--connections', '10', '--duration', '1', '--ramp', '0', '--no-log'], {
      env: { NODE_OPTIONS: `--require ${GUARD}` },
    });
    expect(r.stderr).toContain('NETWORK-GUARD: connect to example.invalid:443');
  });

  it('more streams than open files: refused with the limit and the largest N that fits', async () => {
    const r = await runWithFdLimit(512, ['load', '--local', '--connections', '1000']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'zantara-audit: --connections 1000: each stream needs an open file (socket), but this process may open only 512 (ulimit -n); at most 412 streams fit',
    );
  });
});
