import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FAST, runCli, runJson, statusOf, type JsonReport } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

/**
 * Faults the built reference server knows, read at collection time: a fault another change has
 * not landed yet is skipped here (the server would exit 2 "unknown fault") and lights up once it has.
 */
const { FAULTS } = (await import(new URL('../../dist/server/faults.js', import.meta.url).href)) as { FAULTS: Record<string, string> };
const faultKnown = (name: string) => Object.hasOwn(FAULTS, name);

/** The hostile-origin replay (browser.agreement) has its own file, agreement.test.ts; these tests are about the app's calls. */
const NO_REPLAY = ['--skip', 'browser.agreement'];

const APP_IDS = ['browser.preflight', 'browser.fetch', 'browser.eventsource', 'browser.foreign-origin'] as const;
type Expect = Partial<Record<(typeof APP_IDS)[number], 'pass' | 'fail'>>;

function statuses(report: JsonReport): Record<string, string[]> {
  return Object.fromEntries(APP_IDS.map((id) => [id, statusOf(report, id)]));
}

/** A loopback port nobody listens on (and not one Chromium refuses as unsafe, like 9). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('browser: what must fail before anything is sent (no Chromium needed)', () => {
  it('a missing browser exits 2 with one line and the install hint', async () => {
    const result = await runCli(['browser', '--local', '--browser-path', '/nonexistent/chromium', '--no-log']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--browser-path \/nonexistent\/chromium: no executable there .*apt-get install chromium/);
  });

  it('CHROME_PATH is honoured when no flag is given', async () => {
    const result = await runCli(['browser', '--local', '--no-log'], { env: { CHROME_PATH: '/nonexistent/chrome' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CHROME_PATH \/nonexistent\/chrome: no executable there/);
  });

  it('an origin without a host name to impersonate exits 2', async () => {
    const result = await runCli(['browser', '--local', '--origin', 'http://127.0.0.1:3000', '--no-log']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no host name to impersonate/);
  });
});

describe.skipIf(!hasChromium)(`browser --local drives ${CHROMIUM} (skipped when missing: apt-get install chromium)`, () => {
  it('the clean reference server passes: every browser.* finding pass, exit 0', async () => {
    const { result, report } = await runJson(['browser', '--local', '--no-log', ...FAST, ...NO_REPLAY]);
    expect(result.code, result.stderr).toBe(0);
    expect(statuses(report)).toEqual(Object.fromEntries(APP_IDS.map((id) => [id, ['pass']])));
    const stream = report.findings.find((f) => f.id === 'browser.eventsource');
    expect(stream?.observed).toMatch(/done seen/);
  });

  it('the page decides done by the configured rule (stream.done), not a rule of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'za-browser-done-'));
    try {
      const never = join(dir, 'never.json');
      writeFileSync(never, JSON.stringify({ stream: { done: ['data:[NEVER]'] } }));
      const { report } = await runJson(['browser', '--local', '--config', never, '--no-log', ...NO_REPLAY]);
      expect(statusOf(report, 'browser.eventsource')).toEqual(['fail']);
      expect(report.findings.find((f) => f.id === 'browser.eventsource')?.observed).toMatch(/without done|no done/);
      const named = join(dir, 'json.json');
      writeFileSync(named, JSON.stringify({ stream: { done: ['json:type=done'] } }));
      const { report: passed } = await runJson(['browser', '--local', '--config', named, '--no-log', ...NO_REPLAY]);
      expect(statusOf(passed, 'browser.eventsource')).toEqual(['pass']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an http origin is impersonated without TLS and passes too', async () => {
    const { result, report } = await runJson(['browser', '--local', '--origin', 'http://app.example:8080', '--no-log', ...FAST, ...NO_REPLAY]);
    expect(result.code, result.stderr).toBe(0);
    expect(report.summary.pass).toBe(4);
  });

  describe.each<{ fault: string; expect: Expect; evidence: RegExp }>([
    { fault: 'reflect-origin', expect: { 'browser.foreign-origin': 'fail', 'browser.preflight': 'pass', 'browser.eventsource': 'pass' }, evidence: /POST \/api\/chat: readable/ },
    { fault: 'no-preflight', expect: { 'browser.preflight': 'fail', 'browser.fetch': 'fail', 'browser.eventsource': 'pass' }, evidence: /HTTP ok status/ },
    {
      fault: 'preflight-no-auth-header',
      expect: { 'browser.preflight': 'fail', 'browser.eventsource': 'pass' },
      evidence: /authorization is not allowed by Access-Control-Allow-Headers/,
    },
    { fault: 'wildcard-credentials', expect: { 'browser.preflight': 'fail', 'browser.fetch': 'fail' }, evidence: /wildcard '\*'/ },
    { fault: 'stream-no-cors', expect: { 'browser.eventsource': 'fail', 'browser.preflight': 'pass', 'browser.fetch': 'pass' }, evidence: /blocked by CORS/ },
  ])('fault $fault', ({ fault, expect: expected, evidence }) => {
    it.skipIf(!faultKnown(fault))(
      `→ ${Object.entries(expected)
        .map(([id, s]) => `${id} ${s}`)
        .join(', ')}; exit 1`,
      async () => {
        const { result, report } = await runJson(['browser', '--local', '--fault', fault, '--no-log', ...FAST, ...NO_REPLAY]);
        expect(result.code, result.stderr).toBe(1);
        for (const [id, status] of Object.entries(expected)) expect(statusOf(report, id), id).toEqual([status]);
        const failed = report.findings.filter((f) => f.status === 'fail');
        expect(failed.map((f) => f.observed).join('\n')).toMatch(evidence);
      },
    );
  });

  it('a gateway and RAG Chromium cannot reach: no response, exit 3', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const { result, report } = await runJson(['browser', '--gateway', url, '--rag', url, '--timeout', '5000', '--no-log', ...NO_REPLAY]);
    expect(result.code, result.stderr).toBe(3);
    expect(report.findings.find((f) => f.id === 'browser.fetch')).toMatchObject({ status: 'fail', unreachable: true });
    expect(report.findings.find((f) => f.id === 'browser.eventsource')?.observed).toMatch(/ERR_CONNECTION_REFUSED/);
  });
});
