import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST } from '../helpers/cli.js';
import { exec, userEnv } from '../helpers/exec.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const hasChromium = existsSync('/usr/bin/chromium');
/** Machine load moves this one (it is tested in health.test.ts); here only packaging is under test. */
const LOAD_SENSITIVE = ['--skip', 'metrics.eventloop-lag'];

let dir = '';
let project = '';
let files: string[] = [];

/**
 * What `npm publish` would ship, installed the way a user gets it: the packed tarball into an
 * empty project, from the npm cache that `npm ci` filled where it can (npm ci fetches tarballs but not the registry metadata `npm install` needs, so a fresh machine asks the registry for that).
 */
beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run npm run build first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'zantara-pack-'));
  // --ignore-scripts: `npm test` has just built dist; `prepare` would rebuild it underneath the
  // other test files that are running the CLI from it right now.
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, timeoutMs: 120_000 });
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!info) throw new Error(`npm pack printed no package: ${pack.stdout}`);
  files = info.files.map((f) => f.path);
  project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-test', private: true }, null, 2)}\n`);
  const install = await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, info.filename)], { cwd: project, timeoutMs: 180_000 });
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Exactly what a user types; the package is installed locally, so npx needs no network. */
const npx = (args: string[], timeoutMs = 60_000) => exec('npx', ['zantara-audit', ...args], { cwd: project, env: userEnv(), timeoutMs });

describe('npm package (packed tarball installed into an empty project)', () => {
  it('ships only what runs: bin, dist without maps or sources, schema, README, LICENSE', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/zantara-audit.js', 'dist/cli/main.js', 'schema/config.schema.json']));
    const unwanted = files.filter((f) => /^(test|fixtures|src|bench|scripts|docs)\//.test(f) || f.startsWith('dist/sea/') || /\.(map|ts)$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('npx zantara-audit --version prints the package version', async () => {
    const result = await npx(['--version']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  it('npx zantara-audit audit --local --json: exit 0 and one valid JSON report', async () => {
    const result = await npx(['audit', '--local', '--json', '--no-log', ...LOAD_SENSITIVE, ...FAST], 120_000);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { schemaVersion: number; tool: { version: string }; exitCode: number; findings: unknown[] };
    expect(report).toMatchObject({ schemaVersion: 1, tool: { version: VERSION }, exitCode: 0 });
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it.skipIf(!hasChromium)('npx zantara-audit browser --local finds its playwright-core driver in the installed dependencies', async () => {
    const result = await npx(['browser', '--local', '--json', '--no-log', ...FAST], 120_000);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { summary: { pass: number } }).summary.pass).toBe(4);
  });
});
