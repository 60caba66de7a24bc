/** The terminal report of the built CLI: passes grouped by family, unreachable targets said once, exit codes unchanged. */
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

describe('terminal report', () => {
  it('clean audit --local: the 38 hostile-origin probes are one line; -v lists each', async () => {
    const r = await runCli(['audit', '--local', '--no-log', '--skip', 'metrics.eventloop-lag', '--skip', 'sse.disconnect']);
    expect(r.code, r.stdout).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('  ✔ 38 hostile origins refused [cors.probe.*]');
    expect(lines.filter((l) => l.includes('[cors.probe.')).length).toBe(1);
    const verbose = await runCli(['headers', '--local', '--no-log', '-v']);
    expect(verbose.stdout).toContain('[cors.probe.platform.vercel-app]');
    expect(verbose.stdout).not.toContain('hostile origins refused');
  });

  it('both targets refused: each said once, its checks listed as not run, exit 3 as before', async () => {
    const args = ['audit', '--gateway', 'http://127.0.0.1:1', '--rag', 'http://127.0.0.1:2', '--no-log'];
    const r = await runCli(args);
    expect(r.code).toBe(3);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContain('  ✖ gateway unreachable: connection refused at 127.0.0.1:1 — is the service running?');
    expect(lines).toContain('  ✖ rag unreachable: connection refused at 127.0.0.1:2 — is the service running?');
    expect(r.stdout.split('connection refused').length - 1).toBe(2);
    expect(lines.filter((l) => l.startsWith('  ✖'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('      not run ('))).toHaveLength(2);
    // The JSON report keeps every finding as it was: the grouping is the terminal's.
    const { report } = await runJson(args);
    const failed = report.findings.filter((f) => f.status === 'fail');
    expect(lines.at(-1)).toMatch(new RegExp(`^0 passed, 0 warnings, 0 failed, 0 skipped, ${report.findings.length} not run \\(gateway and rag unreachable\\) in \\d+ ms$`));
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.every((f) => f.unreachable)).toBe(true);
  });
});
