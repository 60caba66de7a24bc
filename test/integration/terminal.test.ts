/** The terminal report of the built CLI: passes grouped by family, unreachable targets said once, exit codes unchanged. */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { exec, userEnv } from '../helpers/exec.js';

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

  // util-linux's script(1) gives the CLI a pseudo-terminal; `stty cols` sets its width or leaves it 0.
  const inTerminal = (setup: string) =>
    exec('/usr/bin/script', ['-qec', `${setup}"${process.execPath}" "${BIN}" health --local --no-log`, '/dev/null'], { env: userEnv({ CI: '' }), timeoutMs: 40_000 });

  it.skipIf(!existsSync('/usr/bin/script'))('a terminal that reports no width gets no spinner and the run ends (ora cleared lines forever there)', async () => {
    const r = await inTerminal('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/12 passed, 0 warnings, 0 failed/);
    expect(r.stdout).not.toContain('health endpoints: ok');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('a terminal with a width shows the spinner, one line per check as it ends', async () => {
    const r = await inTerminal('stty cols 100 rows 40; ');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('health endpoints: ok');
    expect(r.stdout).toMatch(/12 passed, 0 warnings, 0 failed/);
  });
});
