import { describe, expect, it } from 'vitest';
import { judgeAgreement } from '../../src/checks/browser/rules-agreement.js';
import type { ProbeRun, RulesProbeVerdict } from '../../src/checks/browser/types.js';

const URL_ = 'http://127.0.0.1:1/health';
const STREAM = 'http://127.0.0.1:2/bali-zero/chat-stream?query=hello';
const blocked = (origin: string) => ({
  type: 'error',
  text: `Access to fetch at '${URL_}' from origin '${origin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
});

function run(origin: string, readable: boolean): ProbeRun {
  const get = { method: 'GET', url: URL_, readable, timedOut: false, ms: 3, ...(readable ? { status: 200 } : { error: 'TypeError: Failed to fetch' }) };
  return {
    kind: 'prefix',
    origin,
    calls: { pageOrigin: origin, credentialed: get, anonymous: get, stream: { url: STREAM, opened: readable, end: readable ? 'open' : 'error', ms: 4 } },
    console: readable
      ? []
      : [
          blocked(origin),
          {
            type: 'error',
            text: `Access to resource at '${STREAM}' from origin '${origin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
          },
        ],
  };
}

function rules(origin: string, readable: boolean | null): RulesProbeVerdict {
  const j = { readable, reason: readable === null ? 'connection refused' : readable ? '200: echoed' : '200: no Access-Control-Allow-Origin header' };
  return { kind: 'prefix', origin, credentialed: j, anonymous: j, stream: j };
}

const O = 'https://app.example.test.evil.example';

describe('browser.agreement: Chromium beside the header rules, per probe and call', () => {
  it('both refuse, or both let it read: pass, with the per-probe table', () => {
    for (const readable of [false, true]) {
      const f = judgeAgreement([rules(O, readable)], [run(O, readable)], 1234);
      expect(f).toMatchObject({ id: 'browser.agreement', status: 'pass', evidence: { compared: 3, replayMs: 1234 } });
      expect(JSON.stringify(f.evidence?.probes)).toContain(readable ? 'readable (opened)' : 'blocked by CORS');
    }
  });

  it('Chromium reads what the rules refused: fail, naming the origin, the call and both verdicts', () => {
    const f = judgeAgreement([rules(O, false)], [run(O, true)]);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.observed).toMatch(
      /app\.example\.test\.evil\.example \(prefix\), GET with credentials: 'include': Chromium readable \(readable \(200\)\); rules not readable \(200: no Access-Control-Allow-Origin header\)/,
    );
    expect(f.observed.split('\n')).toHaveLength(3);
  });

  it('the rules read what Chromium blocked: fail too', () => {
    expect(judgeAgreement([rules(O, true)], [run(O, false)]).status).toBe('fail');
  });

  it('a call either side got no answer to is not compared; nothing compared is skip, never pass', () => {
    expect(judgeAgreement([rules(O, null)], [run(O, true)])).toMatchObject({ status: 'skip' });
    expect(judgeAgreement([], [{ kind: 'localhost', origin: 'http://localhost:3000', error: 'Chromium resolves localhost itself', console: [] }])).toMatchObject({
      status: 'skip',
    });
    expect(judgeAgreement([], [])).toMatchObject({ status: 'skip' });
  });

  it("the app's fetch() stream: Chromium's preflight block against rules that read it fails, naming the fetch() call, not EventSource", () => {
    const preflight = `Access to fetch at '${STREAM}' from origin '${O}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    const fetched: ProbeRun = { ...run(O, true), console: [{ type: 'error', text: preflight }] };
    if (fetched.calls) fetched.calls.stream = { url: STREAM, opened: false, end: 'error', ms: 5, transport: 'fetch', method: 'POST', error: 'TypeError: Failed to fetch' };
    const readable = { readable: true, reason: '200: echoed' };
    const f = judgeAgreement([{ kind: 'prefix', origin: O, credentialed: readable, anonymous: readable, stream: readable }], [fetched]);
    expect(f.status).toBe('fail');
    expect(f.observed).toBe(
      `${O} (prefix), the app's fetch() stream (POST): Chromium not readable (blocked by CORS: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.); rules readable (200: echoed)`,
    );
    // A fetch() that resolved is readable whatever its status, as the page's response.ok is its own business.
    if (fetched.calls) fetched.calls.stream = { url: STREAM, opened: true, end: 'open', ms: 5, transport: 'fetch', method: 'POST', status: 401 };
    expect(judgeAgreement([{ kind: 'prefix', origin: O, credentialed: readable, anonymous: readable, stream: readable }], [fetched]).status).toBe('pass');
  });
});
