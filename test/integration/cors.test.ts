import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST, findingsOf, notPassing, runCli, runJson, statusOf } from '../helpers/cli.js';

/** Platform probes add 46 requests and catch nothing the other probes miss on the reference server. */
const FEW_PROBES = ['--skip', 'cors.probe.platform'];

describe('preflight and headers --local: the clean reference server passes', () => {
  it('headers --local: exit 0, every finding passes (38 probe origins, each twice)', async () => {
    const { result, report } = await runJson(['headers', '--local', '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(notPassing(report)).toEqual([]);
    expect(report.findings.filter((f) => f.id.startsWith('cors.probe.'))).toHaveLength(38);
    for (const id of ['cors.headers.api', 'cors.headers.health', 'cors.vary', 'cors.error-response', 'cors.duplicate-headers', 'cors.divergence', 'security.headers']) {
      expect(statusOf(report, id).length, id).toBeGreaterThan(0);
    }
    expect(statusOf(report, 'cors.headers.stream', 'rag')).toEqual(['pass']);
    expect(statusOf(report, 'cors.error-response')).toEqual(['pass', 'pass']);
  });

  it('preflight --local: exit 0, the seven cors.preflight.* findings pass', async () => {
    const { result, report } = await runJson(['preflight', '--local', '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(report.findings.map((f) => `${f.id} ${f.status}`)).toEqual(
      ['headers-present', 'status', 'allow-origin', 'allow-credentials', 'allow-methods', 'allow-headers', 'max-age'].map((a) => `cors.preflight.${a} pass`),
    );
  });
});

describe('each reference-server fault trips its finding, with the offending value as evidence', () => {
  it.each([
    // fault, command, id, status, observed, exit code, the ids allowed to fail or warn
    ['reflect-origin', 'headers', 'cors.probe.arbitrary', 'fail', /access-control-allow-origin: https:\/\/evil\.example\n/i, 1, /^cors\.probe\./],
    ['wildcard-credentials', 'headers', 'cors.headers.api', 'fail', /^access-control-allow-origin: \*$/im, 1, /^cors\.(headers\.(api|health)|error-response|divergence)$/],
    ['wildcard-credentials', 'preflight', 'cors.preflight.allow-origin', 'fail', /^access-control-allow-origin: \*$/i, 1, /^cors\.preflight\.allow-origin$/],
    ['no-preflight', 'preflight', 'cors.preflight.status', 'fail', /^404$/, 1, /^cors\.preflight\.(status|allow-headers|max-age)$/],
    ['preflight-403', 'preflight', 'cors.preflight.status', 'fail', /^403$/, 1, /^cors\.preflight\.status$/],
    ['preflight-no-auth-header', 'preflight', 'cors.preflight.allow-headers', 'fail', /^access-control-allow-headers: Content-Type$/i, 1, /^cors\.preflight\.allow-headers$/],
    ['null-origin', 'headers', 'cors.probe.null', 'fail', /access-control-allow-origin: null\n/i, 1, /^cors\.probe\.null$/],
    ['suffix-match', 'headers', 'cors.probe.suffix', 'fail', /access-control-allow-origin: https:\/\/evilzantara\.balizero\.com\n/i, 1, /^cors\.probe\.(suffix|downgrade)$/],
    ['substring-match', 'headers', 'cors.probe.contains-name', 'fail', /access-control-allow-origin: https:\/\/zantara\.evil\.example\n/i, 1, /^cors\.probe\./],
    [
      'regex-prefix',
      'headers',
      'cors.probe.prefix',
      'fail',
      /access-control-allow-origin: https:\/\/zantara\.balizero\.com\.evil\.example\n/i,
      1,
      /^cors\.probe\.(prefix|special-char|port)$/,
    ],
    ['no-vary', 'headers', 'cors.vary', 'warn', /^\(no Vary header\)$/, 0, /^cors\.vary$/],
    ['cors-after-security', 'headers', 'cors.error-response', 'fail', /^\(no Access-Control-Allow-Origin header\)/, 1, /^cors\.error-response$/],
    ['cors-after-security', 'preflight', 'cors.preflight.headers-present', 'fail', /^401, no Access-Control-\* header$/, 1, /^cors\.preflight\./],
    ['cors-routes-only', 'headers', 'cors.error-response', 'warn', /^\(no Access-Control-Allow-Origin header\)/, 0, /^cors\.error-response$/],
    ['rag-wildcard', 'headers', 'cors.divergence', 'warn', /^rag access-control-allow-origin: \*$/im, 0, /^cors\.divergence$/],
  ] as const)('%s: `%s` → %s %s, exit %#', async (fault, command, id, status, observed, code, allowed) => {
    const { result, report } = await runJson([command, '--local', '--fault', fault, '--no-log', ...FEW_PROBES]);
    const f = findingsOf(report).find((x) => x.id === id && x.status === status);
    expect(f, `${id} ${status} in ${JSON.stringify(notPassing(report).map((x) => `${x.id} ${x.status}`))}`).toBeDefined();
    expect(f?.observed).toMatch(observed);
    expect(f?.remedy).toBeTruthy();
    expect(f?.evidence?.request).toBeTruthy();
    expect(notPassing(report).filter((x) => !allowed.test(x.id))).toEqual([]);
    expect(result.code, result.stderr).toBe(code);
  });

  it("reflect-origin: critical, and the finding says what a hostile page can read with the visitor's cookies", async () => {
    const { report } = await runJson(['headers', '--local', '--fault', 'reflect-origin', '--no-log', ...FEW_PROBES]);
    const f = findingsOf(report).find((x) => x.id === 'cors.probe.arbitrary');
    expect(f).toMatchObject({ status: 'fail', severity: 'critical', evidence: { credentialed: true, probe: { origin: 'https://evil.example', exploitability: 'anyone' } } });
    expect(f?.evidence?.canRead).toMatch(/^a page on https:\/\/evil\.example can read the 200 response of GET http:\/\/127\.0\.0\.1:\d+\/health with the visitor's cookies/);
  });

  it('rag-wildcard: the EventSource still passes (no credentials), only the divergence is reported', async () => {
    const { report } = await runJson(['headers', '--local', '--fault', 'rag-wildcard', '--no-log', ...FEW_PROBES]);
    expect(statusOf(report, 'cors.headers.stream')).toEqual(['pass']);
    expect(report.summary.fail).toBe(0);
  });
});

describe('probes derived from an http app origin (scheme and port kept)', () => {
  const HTTP_APP = ['--origin', 'http://app.example.test:8080'];

  it('regex-prefix (^http://app\\.example\\.test, no end anchor): cors.probe.prefix FAILS on http://app.example.test.evil.example:8080; downgrade is skipped with the reason', async () => {
    const { result, report } = await runJson(['headers', '--local', '--fault', 'regex-prefix', ...HTTP_APP, '--no-log', ...FEW_PROBES]);
    const prefix = findingsOf(report).find((f) => f.id === 'cors.probe.prefix');
    expect(prefix).toMatchObject({ status: 'fail', severity: 'critical', evidence: { probe: { origin: 'http://app.example.test.evil.example:8080' } } });
    expect(prefix?.observed).toMatch(/^access-control-allow-origin: http:\/\/app\.example\.test\.evil\.example:8080$/im);
    expect(findingsOf(report).find((f) => f.id === 'cors.probe.downgrade')).toMatchObject({ status: 'skip', observed: expect.stringMatching(/already http/) });
    expect(
      notPassing(report)
        .map((f) => f.id)
        .sort(),
    ).toEqual(['cors.probe.port', 'cors.probe.prefix', 'cors.probe.special-char']);
    expect(result.code, result.stderr).toBe(1);
  });

  it('the clean server with the same http origin: every probe is refused, exit 0', async () => {
    const { result, report } = await runJson(['headers', '--local', ...HTTP_APP, '--no-log', ...FEW_PROBES]);
    expect(notPassing(report)).toEqual([]);
    expect(statusOf(report, 'cors.probe.prefix')).toEqual(['pass']);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('cors.error-response: only errors the app meets can fail', () => {
  it('cors-routes-only: the unknown-path 404s lack CORS, the API 401 has it → a warning on both services saying why, exit 0', async () => {
    const { result, report } = await runJson(['headers', '--local', '--fault', 'cors-routes-only', '--no-log', ...FEW_PROBES]);
    const errors = findingsOf(report).filter((f) => f.id === 'cors.error-response');
    expect(errors.map((f) => `${f.target} ${f.status}`).sort()).toEqual(['gateway warn', 'rag warn']);
    for (const f of errors) expect(f.title).toMatch(/404 of a path the app does not call.*wrong or removed path/);
    expect(report.summary.fail).toBe(0);
    expect(result.code, result.stderr).toBe(0);
  });

  it("cors-after-security: the API call's own 401 lacks CORS → cors.error-response fails on the gateway", async () => {
    const { report } = await runJson(['headers', '--local', '--fault', 'cors-after-security', '--no-log', ...FEW_PROBES]);
    expect(statusOf(report, 'cors.error-response', 'gateway')).toEqual(['fail']);
    expect(findingsOf(report).find((f) => f.id === 'cors.error-response' && f.target === 'gateway')?.title).toMatch(/^the 401 error response fails the CORS check/);
  });
});

describe('terminal output of a failure', () => {
  it('shows the request the browser would send, the headers that matter, the rule and the fix', async () => {
    const result = await runCli(['preflight', '--local', '--fault', 'preflight-no-auth-header', '--no-log']);
    expect(result.code, result.stderr).toBe(1);
    const out = result.stdout;
    expect(out).toMatch(/✖ preflight: request header authorization not allowed: not listed \[cors\.preflight\.allow-headers\]/);
    // The request: OPTIONS with Origin, Access-Control-Request-Method and -Headers.
    expect(out).toMatch(
      /request: \{"method":"OPTIONS","url":"http:\/\/127\.0\.0\.1:\d+\/api\/chat","credentials":"include","headers":\{"Accept":"\*\/\*","Origin":"https:\/\/zantara\.balizero\.com","Access-Control-Request-Method":"POST","Access-Control-Request-Headers":"authorization,content-type"\}/,
    );
    // The headers that matter, as received.
    expect(out).toMatch(/observed: access-control-allow-headers: Content-Type\n/i);
    expect(out).toMatch(/response: \{"status":204,"headers":\[.*\["access-control-allow-headers","Content-Type"\]/i);
    // The rule, with the Fetch section and Chromium's name for it.
    expect(out).toMatch(/rule: fetch#cors-preflight-fetch-0\n/);
    expect(out).toMatch(/section: https:\/\/fetch\.spec\.whatwg\.org\/#cors-preflight-fetch-0\n/);
    expect(out).toMatch(/chromiumError: HeaderDisallowedByPreflightResponse\n/);
    // The fix: the header line to send.
    expect(out).toMatch(/fix: Access-Control-Allow-Headers: content-type, authorization\n/);
  });
});

describe('plan, skips and failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zantara-cors-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--skip cors.probe.platform sends no platform probe and says so in one skip finding', async () => {
    const { result, report } = await runJson(['headers', '--local', '--no-log', ...FEW_PROBES]);
    expect(result.code).toBe(0);
    expect(report.findings.filter((f) => f.id.startsWith('cors.probe.platform'))).toEqual([]);
    const skip = report.findings.find((f) => f.id === 'cors.probe');
    expect(skip).toMatchObject({ status: 'skip', observed: expect.stringMatching(/^waived by --skip; nothing sent \(platform\.vercel-app, /) });
  });

  it('the cors config section: probes off, and the API call described by the user (path from --api-path)', async () => {
    const file = join(dir, 'cors.json');
    writeFileSync(file, JSON.stringify({ cors: { probes: false, requests: { api: { headers: { 'Content-Type': 'application/json', 'X-Client': 'web' } } } } }));
    const { result, report } = await runJson(['headers', '--local', '--no-log', '--config', file, '--api-path', '/api/chat?v=2']);
    expect(result.code, result.stderr).toBe(0);
    expect(findingsOf(report).filter((f) => f.id.startsWith('cors.probe'))).toMatchObject([
      { id: 'cors.probe', status: 'skip', observed: 'disabled in the config (cors.probes: false)' },
    ]);
    const api = findingsOf(report).find((f) => f.id === 'cors.headers.api');
    expect(api?.evidence?.request).toMatchObject({ method: 'POST', url: expect.stringMatching(/\/api\/chat\?v=2$/), authorHeaders: ['content-type', 'x-client'] });
    // Without Authorization there is no 401 to provoke: only the 404s are judged.
    expect(statusOf(report, 'cors.error-response')).toEqual(['pass', 'pass']);
  });

  it('a bad cors value is a config error (exit 2) naming the field and its source, before any request', async () => {
    const result = await runCli(['preflight', '--local', '--no-log', '--api-path', 'api/chat']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/config error: cors\.apiPath \(from flag --api-path\): expected a path starting with "\/"/);
  });

  it('unreachable targets exit 3; the probes are not sent, so there is no wall of probe failures', async () => {
    const { result, report } = await runJson(['headers', '--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--timeout', '2000', '--no-log']);
    expect(result.code).toBe(3);
    expect(findingsOf(report).find((f) => f.id === 'cors.headers.api')).toMatchObject({ status: 'fail', unreachable: true });
    expect(findingsOf(report).filter((f) => f.id.startsWith('cors.probe'))).toMatchObject([
      { id: 'cors.probe', status: 'skip', observed: expect.stringMatching(/did not answer/) },
    ]);
  });

  it('audit --local runs preflight and headers after health and metrics', async () => {
    const { report } = await runJson(['audit', '--local', '--no-log', ...FEW_PROBES, ...FAST]);
    // Not the exit code: event-loop lag on a loaded machine is the metrics check's business.
    expect(notPassing(report).filter((f) => f.id.startsWith('cors.'))).toEqual([]);
    const areas = [...new Set(report.findings.map((f) => (f.id.split('.')[0] === 'cors' ? f.id.split('.').slice(0, 2).join('.') : f.id.split('.')[0])))];
    expect(areas.indexOf('metrics')).toBeLessThan(areas.indexOf('cors.preflight'));
    expect(areas.indexOf('cors.preflight')).toBeLessThan(areas.indexOf('cors.headers'));
  });
});
