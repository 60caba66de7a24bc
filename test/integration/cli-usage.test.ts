import type { ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/report/report-schema.js';
import { Faults } from '../../src/server/faults.js';
import { startReference, type RunningReference } from '../../src/server/index.js';
import { runCli, runJson, type CliResult } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zantara-cli-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh directory for one test's files. */
const scratch = () => mkdtempSync(join(root, `t${++n}-`));

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const jsonLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** exit 2: stdout empty, stderr starts with `zantara-audit: <first>`, one error line, no stack. */
function expectUsage(result: CliResult, first: string | RegExp): string[] {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  if (typeof first === 'string') expect(lines[0]).toBe(`zantara-audit: ${first}`);
  else expect(lines[0]).toMatch(first);
  expect(lines.filter((l) => l.startsWith('zantara-audit:'))).toHaveLength(1);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return lines;
}

/** A TCP listener that counts connections: proof that a refused run sent nothing. */
async function countingServer(): Promise<{ server: Server; url: string; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => count };
}

describe('help and version', () => {
  it('--help exits 0 with usage, commands and the exit-code table', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: zantara-audit \[options\] \[command\]/);
    for (const word of ['audit', 'health', 'serve', 'config', '--gateway <url>', '--no-log']) expect(r.stdout).toContain(word);
    expect(r.stdout).toContain('Exit codes: 0 pass, 1 a check failed, 2 bad usage or config, 3 a target unreachable, 130/143 interrupted.');
  });

  it('health --help shows its examples', async () => {
    const r = await runCli(['health', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ zantara-audit health --local --fault health-down --json');
  });

  it('a reader that closes the pipe early (`| head`) ends the output quietly, the exit code intact', async () => {
    const help = await runCli(['--help'], { onSpawn: (child) => child.stdout?.destroy() });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    const failed = await runCli(['health', '--local', '--fault', 'health-down', '--no-log'], { onSpawn: (child) => child.stdout?.destroy() });
    expect(failed).toMatchObject({ code: 1, stderr: '' });
  });

  it('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('bad usage: exit 2, one line naming the problem, nothing sent', () => {
  let target: Awaited<ReturnType<typeof countingServer>>;
  beforeAll(async () => {
    target = await countingServer();
  });
  afterAll(() => new Promise<void>((resolve) => target.server.close(() => resolve())));

  it.each([[[]], [['health']]])('a typo in an option (%j) suggests the right one', async (command) => {
    const r = await runCli([...command, '--gatewy', 'http://127.0.0.1:1']);
    const lines = expectUsage(r, "unknown option '--gatewy'");
    expect(lines[1]).toBe('(Did you mean --gateway?)');
  });

  it('--gateway notaurl names the field and the flag; the valid --rag target gets no connection and no log is written', async () => {
    const tmp = scratch();
    const r = await runCli(['health', '--gateway', 'notaurl', '--rag', target.url], { env: { TMPDIR: tmp } });
    expectUsage(r, 'config error: targets.gateway.url (from flag --gateway): expected an absolute http(s) URL such as https://api.example.com');
    expect(target.connections()).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a bad URL from the environment names the variable', async () => {
    const r = await runCli(['health', '--no-log'], { env: { ZANTARA_RAG_URL: 'rag.example.com' } });
    expectUsage(r, /^zantara-audit: config error: targets\.rag\.url \(from env ZANTARA_RAG_URL\): expected an absolute http\(s\) URL/);
  });

  it.each(['https://a.example/path', 'https://a.example/'])('--origin %s is not an origin', async (origin) => {
    const r = await runCli(['health', '--origin', origin, '--rag', target.url, '--no-log']);
    expectUsage(
      r,
      /^zantara-audit: config error: origin \(from flag --origin\): expected an origin like https:\/\/app\.example\.com \(scheme and host, optional port, no path or trailing slash/,
    );
    expect(target.connections()).toBe(0);
  });

  it('--timeout abc', async () => {
    expectUsage(await runCli(['health', '--timeout', 'abc', '--no-log']), '--timeout: expected a whole number, got "abc"');
  });

  it('--header without a colon never echoes the value', async () => {
    const r = await runCli(['health', '--header', 'Authorization Bearer s3cr3t', '--no-log']);
    expectUsage(r, '--header: expected "Name: value", got a value without a valid "Name:" part');
    expect(r.stderr).not.toContain('s3cr3t');
  });

  it('--local with --gateway conflict', async () => {
    expectUsage(
      await runCli(['health', '--local', '--gateway', 'http://x.example', '--no-log']),
      '--local conflicts with --gateway/--rag: --local audits the embedded reference server',
    );
  });

  it('--fault without --local', async () => {
    expectUsage(await runCli(['health', '--fault', 'health-down', '--no-log']), '--fault needs --local (faults belong to the embedded reference server)');
  });

  it('--ttft/--token-interval/--jitter: without --local, and a value that is not whole ms, are usage errors', async () => {
    expectUsage(await runCli(['health', '--ttft', '100', '--no-log']), '--ttft, --token-interval and --jitter need --local (they pace the embedded reference server)');
    expectUsage(await runCli(['stream', '--local', '--token-interval', '5x', '--no-log']), '--token-interval: expected a whole number of ms from 0 to 60000, got "5x"');
  });

  it('an unknown --fault lists the known ones, before any server starts', async () => {
    const lines = expectUsage(await runCli(['health', '--local', '--fault', 'health-down,nope', '--no-log']), 'unknown fault "nope"');
    expect(lines[1]).toMatch(/^ {2}hint: known faults: health-down, health-bad-json, health-slow, no-metrics, eventloop-lag\b/);
  });
});

describe('config check', () => {
  it('prints the merged config with secrets redacted and where each value came from', async () => {
    const r = await runCli(['config', 'check', '--header', 'Authorization: Bearer s3cr3t', '--gateway', 'https://gw.example/?token=s3cr3t', '--timeout', '2500']);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain('s3cr3t');
    expect(r.stdout).toMatch(/^config OK \(no config file\)\n/);
    expect(r.stdout).toContain('"Authorization": "[REDACTED]"');
    expect(r.stdout).toContain('"url": "https://gw.example/?token=[REDACTED]"');
    expect(r.stdout).toContain('"timeoutMs": 2500');
    expect(r.stdout).toContain('  headers.Authorization: flag --header\n');
  });

  it('interpolates ${VAR} from the environment in a config file', async () => {
    const file = join(scratch(), 'zantara-audit.config.json');
    writeFileSync(file, JSON.stringify({ targets: { gateway: { url: '${ZT_GATEWAY}' } }, headers: { 'X-Api-Key': '${ZT_KEY}' } }));
    const r = await runCli(['config', 'check', '--config', file, '--json'], { env: { ZT_GATEWAY: 'https://gw.internal:8443', ZT_KEY: 'k3y-from-env' } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { config: { targets: { gateway: { url: string } }; headers: Record<string, string> }; file: string; sources: Record<string, string> };
    expect(out.config.targets.gateway.url).toBe('https://gw.internal:8443');
    expect(out.config.headers).toEqual({ 'X-Api-Key': '[REDACTED]' });
    expect(r.stdout).not.toContain('k3y-from-env');
    expect(out.file).toBe(file);
    expect(out.sources['targets.gateway.url']).toBe(`file ${file}`);
  });

  it('a missing ${VAR} is an error naming it', async () => {
    const file = join(scratch(), 'c.json');
    writeFileSync(file, JSON.stringify({ headers: { Authorization: 'Bearer ${ZT_UNSET_TOKEN}' } }));
    expectUsage(
      await runCli(['config', 'check', '--config', file]),
      `config file ${file}: headers.Authorization uses \${ZT_UNSET_TOKEN}, but environment variable ZT_UNSET_TOKEN is not set`,
    );
  });

  it('an unknown key in the config file is named with the file', async () => {
    const file = join(scratch(), 'c.json');
    writeFileSync(file, JSON.stringify({ targets: { gateway: { url: 'https://gw.example' } }, timeout: 5 }));
    expectUsage(await runCli(['health', '--config', file, '--no-log']), `config error: timeout (from file ${file}): unknown key "timeout"`);
  });
});

describe('reporters and the audit log from a real run (--local)', () => {
  it('--junit writes valid JUnit XML: one testsuite per target, failures for the failed checks', async () => {
    const junit = join(scratch(), 'report.xml');
    const r = await runCli(['health', '--local', '--fault', 'health-down', '--no-log', '--junit', junit]);
    expect(r.code, r.stderr).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as {
      testsuites: { testsuite: Array<{ '@name': string; testcase: Array<{ '@name': string; failure?: unknown }> }> };
    };
    expect(doc.testsuites.testsuite.map((s) => s['@name'])).toEqual(['gateway', 'rag']);
    for (const suite of doc.testsuites.testsuite) {
      expect(suite.testcase.find((c) => c['@name'] === 'health.status')?.failure).toBeDefined();
    }
  });

  it('--log <file>: JSON lines (run header, observations, findings, footer), mode 0600, path in the JSON report', async () => {
    const log = join(scratch(), 'audit.jsonl');
    const { result, report } = await runJson(['health', '--local', '--log', log]);
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.logFile).toBe(log);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const lines = jsonLines(log);
    expect(lines[0]).toMatchObject({ type: 'run', command: 'health', local: true, tool: { name: 'zantara-audit', version: VERSION } });
    expect(
      lines
        .filter((l) => l.type === 'observation')
        .map((l) => (l.request as { url: string }).url)
        .sort(),
    ).toEqual(
      // /metrics twice: the scrape that opens the event-loop window and the one that closes it.
      [
        `${report.targets.gateway}/health`,
        `${report.targets.gateway}/metrics`,
        `${report.targets.gateway}/metrics`,
        `${report.targets.rag}/health`,
        `${report.targets.rag}/metrics`,
        `${report.targets.rag}/metrics`,
      ].sort(),
    );
    expect(lines.filter((l) => l.type === 'finding')).toHaveLength(report.findings.length);
    expect(lines.at(-1)).toMatchObject({ type: 'footer', exitCode: result.code, interrupted: null, summary: report.summary });
  });

  it('default log: a fresh private directory under the temp dir, printed in the summary line', async () => {
    const tmp = scratch();
    const r = await runCli(['health', '--local', '--fault', 'no-metrics'], { env: { TMPDIR: tmp } });
    const path = /— log: (.+)$/.exec(r.stdout.trimEnd().split('\n').at(-1) ?? '')?.[1] as string;
    expect(path).toMatch(new RegExp(`^${tmp}/zantara-audit-[A-Za-z0-9]{6}/audit\\.jsonl$`));
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(jsonLines(path).at(-1)).toMatchObject({ type: 'footer', exitCode: r.code });
  });

  it('a symlink planted at --log is not followed: one warning, target untouched, the run goes on', async () => {
    const dir = scratch();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me\n');
    const log = join(dir, 'audit.jsonl');
    symlinkSync(victim, log);
    const { result, report } = await runJson(['health', '--local', '--fault', 'health-down', '--log', log]);
    expect(result.code).toBe(1);
    expect(report.logFile).toBeNull();
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(log).isSymbolicLink()).toBe(true);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `warning: audit log not written: cannot create ${log} (a file or link already exists there and is never overwritten); the audit goes on`,
    ]);
  });

  it('GitHub Actions: ::error annotations on stdout and a markdown summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(scratch(), 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['health', '--local', '--fault', 'health-down', '--no-log'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^::error title=gateway health\.status::gateway health answers 200 — expected 200; observed 503/),
        expect.stringMatching(/^::error title=rag health\.status::/),
      ]),
    );
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## zantara-audit health: failed\n')).toBe(true);
    expect(md).toMatch(/^\| ❌ fail \| gateway \| `health\.status` \| gateway health answers 200 \| 503: /m);
  });

  it('GitHub Actions with --json: stdout stays one JSON document, annotations go to stderr', async () => {
    const { result, report } = await runJson(['health', '--local', '--fault', 'health-down', '--no-log'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(report.summary.fail).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toMatch(/^::error title=gateway health\.status::/m);
  });
});

describe('secrets never leave the process', () => {
  let ref: RunningReference;
  beforeAll(async () => {
    ref = await startReference({ origin: 'https://zantara.balizero.com', faults: new Faults(['health-down']) });
  });
  afterAll(() => ref.close());

  it('a bearer header and a token in the URL query: zero hits in stdout, stderr, JSON, JUnit, audit log and step summary', async () => {
    const dir = scratch();
    const secretArgs = ['health', '--gateway', `${ref.gateway}/?token=s3cr3t`, '--rag', ref.rag, '--header', 'Authorization: Bearer s3cr3t'];
    const files = { junit: join(dir, 'report.xml'), log: join(dir, 'audit.jsonl'), log2: join(dir, 'audit2.jsonl'), summary: join(dir, 'summary.md') };
    const json = await runCli([...secretArgs, '--json', '--junit', files.junit, '--log', files.log]);
    const pretty = await runCli([...secretArgs, '--verbose', '--log', files.log2], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: files.summary } });
    expect([json.code, pretty.code]).toEqual([1, 1]);

    const outputs: Record<string, string> = { jsonStdout: json.stdout, jsonStderr: json.stderr, prettyStdout: pretty.stdout, prettyStderr: pretty.stderr };
    for (const [name, path] of Object.entries(files)) outputs[name] = readFileSync(path, 'utf8');
    for (const [name, text] of Object.entries(outputs)) expect(text.includes('s3cr3t'), `${name} leaks the secret`).toBe(false);

    // The secret was really used: sent as a header, kept in the URL query, to the /health path.
    const observation = jsonLines(files.log).find((l) => l.type === 'observation' && (l.request as { url: string }).url.includes('/health?token=')) as {
      request: { url: string; headers: Record<string, string> };
      response: { status: number };
    };
    expect(observation.request.url).toBe(`${ref.gateway}/health?token=[REDACTED]`);
    expect(observation.request.headers.Authorization).toBe('[REDACTED]');
    expect(observation.response.status).toBe(503);
    expect(reportSchema.safeParse(JSON.parse(json.stdout)).success).toBe(true);
  });
});

describe('signals: exit 130/143, partial report, log closed with an interrupted footer', () => {
  /** Wait for the run header in the log (the reference server is up, checks start next), then signal. */
  function signalAfterHeader(log: string, signal: NodeJS.Signals, seen: { stdout: string }) {
    return (child: ChildProcess) => {
      let stdout = '';
      child.stdout?.on('data', (c: Buffer) => (stdout += String(c)));
      const timer = setInterval(() => {
        if (!existsSync(log) || !readFileSync(log, 'utf8').includes('\n')) return;
        clearInterval(timer);
        seen.stdout = stdout;
        child.kill(signal);
      }, 20);
      child.on('exit', () => clearInterval(timer));
    };
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a slow health check → exit %i', async (signal, code) => {
    const log = join(scratch(), 'audit.jsonl');
    const seen = { stdout: '<not signalled>' };
    // health-slow answers /health after 1.5 s: the signal lands while both requests are in flight.
    const r = await runCli(['health', '--local', '--fault', 'health-slow', '--json', '--log', log], { onSpawn: signalAfterHeader(log, signal, seen) });
    expect(seen.stdout).toBe('');
    expect(r.code, r.stderr).toBe(code);
    const report = JSON.parse(r.stdout) as { interrupted: boolean; exitCode: number; findings: Array<{ status: string; id: string }> };
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ interrupted: true, exitCode: code, logFile: log });
    // What was cut short is not blamed on the target.
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    const lines = jsonLines(log);
    expect(lines[0]?.type).toBe('run');
    expect(lines.at(-1)).toMatchObject({ type: 'footer', interrupted: signal, exitCode: code });
  });
});
