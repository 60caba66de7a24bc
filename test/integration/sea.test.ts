import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST } from '../helpers/cli.js';
import { exec, verdicts, type FindingLine } from '../helpers/exec.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const EXE_NAME = `zantara-audit-${process.platform}-${process.arch}`;
const hasChromium = existsSync('/usr/bin/chromium');
/** Machine load moves this one (it is tested in health.test.ts); here the two entry points are compared. */
const LOAD_SENSITIVE = ['--skip', 'metrics.eventloop-lag'];

let dir = '';
let exe = '';

/**
 * Build the binary once, then run it from an empty directory: no node_modules anywhere near it,
 * so everything it needs must be inside it.
 */
beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run npm run build first').toBe(true);
  // The script, not `npm run build:sea`: rebuilding dist here would pull it from under the other test files.
  const build = await exec(process.execPath, [join(ROOT, 'scripts', 'build-sea.js')], { cwd: ROOT, timeoutMs: 240_000 });
  expect(build.code, build.stderr).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'zantara-sea-'));
  exe = join(dir, EXE_NAME);
  copyFileSync(join(ROOT, 'dist', 'sea', EXE_NAME), exe);
  chmodSync(exe, 0o755);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], timeoutMs = 60_000) => exec(exe, args, { cwd: dir, timeoutMs });

describe(`single executable (dist/sea/${EXE_NAME}) run from a directory without node_modules`, () => {
  it('--version prints the package version, without the experimental-SEA warning', async () => {
    const result = await run(['--version']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
    expect(result.stderr).toBe('');
  });

  it('--help lists the commands', async () => {
    const result = await run(['--help']);
    expect(result.code, result.stderr).toBe(0);
    for (const command of ['audit', 'health', 'browser', 'serve']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('audit --local --json (the binary spawns itself as the reference server): exit 0, the same findings as the npm entry point', async () => {
    const args = ['audit', '--local', '--json', '--no-log', ...LOAD_SENSITIVE, ...FAST];
    // One after the other: two audits at once on a small machine would only add noise to both.
    const sea = await run(args, 120_000);
    const npm = await exec(process.execPath, [join(ROOT, 'bin', 'zantara-audit.js'), ...args], { cwd: dir, timeoutMs: 120_000 });
    expect(sea.code, sea.stderr).toBe(0);
    expect(npm.code, npm.stderr).toBe(0);
    const seaReport = JSON.parse(sea.stdout) as { findings: FindingLine[] };
    const npmReport = JSON.parse(npm.stdout) as { findings: FindingLine[] };
    expect(seaReport.findings.length).toBeGreaterThan(0);
    expect(verdicts(seaReport)).toEqual(verdicts(npmReport));
  });

  it.skipIf(!hasChromium)('browser --local works from the binary too (playwright-core is bundled)', async () => {
    const result = await run(['browser', '--local', '--json', '--no-log', ...FAST], 120_000);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { summary: { pass: number } }).summary.pass).toBe(4);
  });
});
