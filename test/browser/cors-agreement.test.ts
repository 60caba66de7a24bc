/**
 * The rules against the real thing: for the clean reference server and four CORS faults, what
 * `preflight` / `headers` predict from the Fetch standard must be what headless Chromium does
 * (`browser`): the preflighted API fetch, the credentialed GET, the EventSource, and a foreign
 * origin's credentialed GET.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST, BIN, type JsonReport, runJson } from '../helpers/cli.js';
import { userEnv } from '../helpers/exec.js';

const CHROMIUM = '/usr/bin/chromium';

function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (Debian: apt-get install chromium)`;
  const help = spawnSync(process.execPath, [BIN, 'browser', '--help'], { encoding: 'utf8', env: userEnv() });
  if (help.status !== 0) return 'the built CLI has no `browser` command yet';
  return undefined;
}
const reason = skipReason();

type Finding = JsonReport['findings'][number] & { evidence?: Record<string, unknown> };

/** Allowed (true) or blocked (false), per call the app makes, plus whether the foreign origin can read. */
interface Verdicts {
  preflight: boolean;
  post: boolean;
  get: boolean;
  eventsource: boolean;
  foreign: boolean;
}

function find(report: JsonReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id) as Finding | undefined;
  if (!f) throw new Error(`no ${id} in ${report.findings.map((x) => x.id).join(', ')}`);
  return f;
}

const passes = (report: JsonReport, id: string) => find(report, id).status === 'pass';

/** What the Fetch-standard rules predict. max-age is information, never a block. */
function predicted(preflight: JsonReport, headers: JsonReport): Verdicts {
  const preflightOk = preflight.findings.filter((f) => f.id !== 'cors.preflight.max-age').every((f) => f.status === 'pass' || f.status === 'skip');
  return {
    preflight: preflightOk,
    post: preflightOk && passes(headers, 'cors.headers.api'),
    get: passes(headers, 'cors.headers.health'),
    eventsource: passes(headers, 'cors.headers.stream'),
    // The probe sends exactly the browser's foreign request: GET <health> from https://evil.example, with credentials.
    foreign: find(headers, 'cors.probe.arbitrary').status === 'fail',
  };
}

function readable(evidence: unknown, call: 'post' | 'get'): boolean {
  const v = (evidence as Record<string, { readable?: unknown }> | undefined)?.[call]?.readable;
  if (typeof v !== 'boolean') throw new Error(`no ${call}.readable in ${JSON.stringify(evidence)}`);
  return v;
}

/** What Chromium did. */
function observed(browser: JsonReport): Verdicts {
  const fetch = find(browser, 'browser.fetch');
  return {
    preflight: passes(browser, 'browser.preflight'),
    post: readable(fetch.evidence, 'post'),
    get: readable(fetch.evidence, 'get'),
    eventsource: passes(browser, 'browser.eventsource'),
    foreign: readable(find(browser, 'browser.foreign-origin').evidence, 'get'),
  };
}

const T = true;
const F = false;

describe.skipIf(reason !== undefined)(`CORS rules agree with headless Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it.each([
    // fault, and the verdicts both must reach: preflight, POST readable, GET readable, EventSource, foreign origin reads
    ['clean', { preflight: T, post: T, get: T, eventsource: T, foreign: F }],
    ['reflect-origin', { preflight: T, post: T, get: T, eventsource: T, foreign: T }],
    ['no-preflight', { preflight: F, post: F, get: T, eventsource: T, foreign: F }],
    ['preflight-no-auth-header', { preflight: F, post: F, get: T, eventsource: T, foreign: F }],
    ['wildcard-credentials', { preflight: F, post: F, get: F, eventsource: T, foreign: F }],
  ] as const)(
    '%s',
    async (fault, expected) => {
      const faults = fault === 'clean' ? [] : ['--fault', fault];
      const [preflight, headers, browser] = await Promise.all([
        runJson(['preflight', '--local', '--no-log', ...faults]),
        runJson(['headers', '--local', '--no-log', '--skip', 'cors.probe.platform', ...faults]),
        runJson(['browser', '--local', '--no-log', ...faults, ...FAST], { timeoutMs: 90_000 }),
      ]);
      for (const run of [preflight, headers, browser]) expect(run.result.code, run.result.stderr).not.toBe(3);
      // The browser's attacker page is the probe's origin, so the two foreign verdicts are about the same request.
      expect(find(browser.report, 'browser.foreign-origin').expected).toContain(
        String((find(headers.report, 'cors.probe.arbitrary').evidence?.probe as { origin?: unknown })?.origin),
      );
      const rules = predicted(preflight.report, headers.report);
      expect(observed(browser.report), 'Chromium vs expectation').toEqual(expected);
      expect(rules, 'rules vs Chromium').toEqual(observed(browser.report));
    },
    120_000,
  );
});
