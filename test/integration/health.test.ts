import { describe, expect, it } from 'vitest';
import { runCli, runJson, statusOf } from '../helpers/cli.js';

/**
 * The reference server is audited right after it starts: its lag histogram holds a few dozen
 * samples, so on a loaded machine one OS scheduling stall decides the p99. Tests about other
 * checks waive the lag so their exit codes do not depend on the machine's load.
 */
const NOT_LAG = ['--skip', 'metrics.eventloop-lag'];

describe('health --local (built CLI against the reference server)', () => {
  it('passes on the clean reference server: exit 0, every finding pass', async () => {
    const { result, report } = await runJson(['health', '--local', '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.fail).toBe(0);
    for (const id of ['health.status', 'health.body', 'health.latency', 'health.cors', 'metrics.available', 'metrics.eventloop-lag']) {
      expect(statusOf(report, id), id).toEqual(['pass', 'pass']);
    }
  });

  it.each([
    ['health-down', 'health.status', 'fail'],
    ['health-bad-json', 'health.body', 'fail'],
    ['eventloop-lag', 'metrics.eventloop-lag', 'fail'],
  ])('fault %s → %s %s, exit 1', async (fault, id, status) => {
    const { result, report } = await runJson(['health', '--local', '--fault', fault, '--no-log']);
    expect(result.code).toBe(1);
    expect(statusOf(report, id)).toEqual([status, status]);
  });

  it('fault health-slow → health.latency warns (exit 0), and fails with --strict (exit 1)', async () => {
    const { result, report } = await runJson(['health', '--local', '--fault', 'health-slow', '--no-log', ...NOT_LAG]);
    expect(statusOf(report, 'health.latency')).toEqual(['warn', 'warn']);
    expect(result.code).toBe(0);
    const strict = await runJson(['health', '--local', '--fault', 'health-slow', '--no-log', '--strict', ...NOT_LAG]);
    expect(strict.result.code).toBe(1);
  });

  it('fault no-metrics → metrics skip with the reason, never pass', async () => {
    const { report } = await runJson(['health', '--local', '--fault', 'no-metrics', '--no-log']);
    const skips = report.findings.filter((f) => f.id.startsWith('metrics.'));
    expect(skips.map((f) => f.status)).toEqual(['skip', 'skip', 'skip', 'skip']);
    expect(skips[0]?.observed).toMatch(/404/);
  });

  it('an unreachable target exits 3 with a plain message and still prints the JSON report', async () => {
    const { result, report } = await runJson(['health', '--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--timeout', '2000', '--no-log']);
    expect(result.code).toBe(3);
    const f = report.findings.find((x) => x.id === 'health.status');
    expect(f?.unreachable).toBe(true);
    expect(f?.observed).toMatch(/connection refused at 127\.0\.0\.1:9 — is the service running\?/);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('--retries retries transport failures and records the attempt count', async () => {
    const { report } = await runJson(['health', '--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--retries', '2', '--no-log']);
    expect(report.findings.find((x) => x.id === 'health.status')?.attempts).toBe(3);
  });

  it('--skip waives a check by id: its finding is skip and the exit code ignores it', async () => {
    const { result, report } = await runJson(['health', '--local', '--fault', 'health-down', '--skip', 'health.status', '--skip', 'health.body', '--no-log', ...NOT_LAG]);
    expect(statusOf(report, 'health.status')).toEqual(['skip', 'skip']);
    expect(result.code).toBe(0);
  });

  it('terminal output names failures with expected, observed and a fix, and ends with the summary line', async () => {
    const result = await runCli(['health', '--local', '--fault', 'health-down', '--no-log', ...NOT_LAG]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✖ gateway health answers 200 \[health\.status\]/);
    expect(result.stdout).toMatch(/observed: 503/);
    expect(result.stdout).toMatch(/fix: /);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, \d+ warnings, 2 failed, \d+ skipped in \d+ ms$/);
  });
});
