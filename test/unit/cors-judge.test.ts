import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { judgeActual, judgeErrorResponse } from '../../src/checks/cors/judge/actual.js';
import { judgeDivergence } from '../../src/checks/cors/judge/divergence.js';
import { judgeProbe, judgeProbePair } from '../../src/checks/cors/judge/hostile-origin.js';
import { PREFLIGHT_IDS, judgePreflight } from '../../src/checks/cors/judge/preflight.js';
import { judgeSecurityHeaders } from '../../src/checks/cors/judge/security.js';
import { worstPerId } from '../../src/checks/cors/judge/shape.js';
import { type Probe, probeOrigins } from '../../src/checks/cors/hostile-origins/origins.js';
import { A, CLEAN_ACTUAL, CLEAN_PREFLIGHT, G1, G2, GATEWAY, R1, RAG, obs, raw } from './cors-fixtures.js';

const byId = (findings: Finding[]) => new Map(findings.map((f) => [f.id, f]));
const preflightObs = (status: number, headers = CLEAN_PREFLIGHT) => obs({ method: 'OPTIONS', url: `${GATEWAY}/api/chat`, status, headers });
const apiObs = (status: number, headers = CLEAN_ACTUAL) => obs({ method: 'POST', url: `${GATEWAY}/api/chat`, status, headers });
const ragObs = (headers: string[]) => obs({ target: 'rag', url: R1.url, headers: raw(...headers, 'Content-Type: text/event-stream') });
const PROBES = new Map(probeOrigins(A).map((p) => [p.kind, p]));
const probe = (kind: string): Probe => PROBES.get(kind)!;
const lost = (target: 'gateway' | 'rag' = 'gateway') =>
  obs({
    target,
    error: { code: 'refused', message: 'connection refused at 127.0.0.1:9 — is the service running?' },
    unreachable: true,
  });

/** The evidence contract every fail/warn finding honours. */
function expectActionable(f: Finding): void {
  expect(f.expected, f.id).toBeTruthy();
  expect(f.observed, f.id).toBeTruthy();
  expect(f.remedy, f.id).toBeTruthy();
  expect(f.evidence?.request, f.id).toBeTruthy();
  if (!f.unreachable && f.id !== 'security.headers') expect(f.evidence?.rule, f.id).toMatch(/^(fetch|html)#/);
}

describe('judgePreflight (fetch#cors-preflight-fetch-0)', () => {
  it('a clean gateway preflight passes every check', () => {
    const findings = judgePreflight(preflightObs(204), G1);
    expect(findings.map((f) => f.id)).toEqual([...PREFLIGHT_IDS]);
    expect(findings.every((f) => f.status === 'pass')).toBe(true);
    expect(findings.every((f) => f.target === 'gateway' && !f.remedy)).toBe(true);
  });

  it('the evidence carries the OPTIONS request the browser sends', () => {
    const f = judgePreflight(preflightObs(204), G1)[0]!;
    expect(f.evidence?.request).toMatchObject({
      method: 'OPTIONS',
      credentials: 'include',
      headers: {
        Origin: A,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
  });

  it('R-PF-8 preflight-no-auth-header: allow-headers fails with the header verbatim and the line to send', () => {
    const f = byId(
      judgePreflight(preflightObs(204, raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: Content-Type')), G1),
    ).get('cors.preflight.allow-headers')!;
    expect(f).toMatchObject({
      status: 'fail',
      observed: 'Access-Control-Allow-Headers: Content-Type',
      remedy: 'Access-Control-Allow-Headers: content-type, authorization',
    });
    expect(f.evidence).toMatchObject({
      rule: 'fetch#cors-preflight-fetch-0',
      chromiumError: 'HeaderDisallowedByPreflightResponse',
      section: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch-0',
    });
    expectActionable(f);
  });

  it('R-PF-1 no-preflight: OPTIONS 404 fails status (and the missing headers)', () => {
    const m = byId(judgePreflight(preflightObs(404, raw('Content-Type: text/html')), G1));
    expect(m.get('cors.preflight.status')).toMatchObject({ status: 'fail', observed: '404' });
    expect(m.get('cors.preflight.headers-present')?.status).toBe('fail');
    expect(m.get('cors.preflight.allow-origin')?.evidence?.chromiumError).toBe('PreflightMissingAllowOriginHeader');
  });

  it('R-PF-1 preflight-403 / cors-after-security: a security layer answering first fails headers-present', () => {
    const m = byId(judgePreflight(preflightObs(403, raw('Content-Type: application/json')), G1));
    const f = m.get('cors.preflight.headers-present')!;
    expect(f.status).toBe('fail');
    expect(f.title).toMatch(/before the CORS middleware/);
    expectActionable(f);
    expect(m.get('cors.preflight.status')?.title).toMatch(/never carries cookies/);
  });

  it('R-PF-1 a 3xx preflight fails with PreflightDisallowedRedirect and shows Location', () => {
    const f = byId(judgePreflight(preflightObs(308, raw('Location: /api/chat/', ...CLEAN_PREFLIGHT.map(([n, v]) => `${n}:${v}`))), G1)).get('cors.preflight.status')!;
    expect(f).toMatchObject({ status: 'fail', observed: '308\nLocation: /api/chat/' });
    expect(f.evidence?.chromiumError).toBe('PreflightDisallowedRedirect');
  });

  it('R-PF-2 wildcard-credentials: * on a credentialed preflight fails allow-origin', () => {
    const f = byId(
      judgePreflight(
        preflightObs(204, raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: authorization, content-type')),
        G1,
      ),
    ).get('cors.preflight.allow-origin')!;
    expect(f).toMatchObject({
      status: 'fail',
      observed: 'Access-Control-Allow-Origin: *',
      remedy: expect.stringContaining(`Access-Control-Allow-Origin: ${A}`),
    });
    expect(f.evidence?.chromiumError).toBe('PreflightWildcardOriginNotAllowed');
  });

  it('R-CACHE-1 max-age is informational: absent → warn (info), never fail', () => {
    const f = byId(
      judgePreflight(
        preflightObs(
          204,
          CLEAN_PREFLIGHT.filter(([n]) => n !== 'Access-Control-Max-Age'),
        ),
        G1,
      ),
    ).get('cors.preflight.max-age')!;
    expect(f).toMatchObject({ status: 'warn', severity: 'info', remedy: 'Access-Control-Max-Age: 7200' });
  });

  it('allow-credentials is skipped for a request without credentials', () => {
    const anon = { ...G1, credentials: 'omit' as const, headers: { 'X-Custom': '1' } };
    const f = byId(judgePreflight(preflightObs(204, raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: *')), anon)).get('cors.preflight.allow-credentials')!;
    expect(f.status).toBe('skip');
  });

  it('unreachable: one failing finding per check, flagged, with the transport message', () => {
    const findings = judgePreflight(lost(), G1);
    expect(findings).toHaveLength(PREFLIGHT_IDS.length);
    for (const f of findings) {
      expect(f).toMatchObject({
        status: 'fail',
        unreachable: true,
        observed: 'connection refused at 127.0.0.1:9 — is the service running?',
      });
      expectActionable(f);
    }
  });

  it('a request we aborted (Ctrl-C, run deadline) is skip, never fail: it says nothing about the target', () => {
    const aborted = obs({ error: { code: 'aborted', message: 'aborted' }, unreachable: false });
    for (const f of judgePreflight(aborted, G1)) {
      expect(f).toMatchObject({ status: 'skip', observed: expect.stringMatching(/^not judged: aborted/) });
      expect(f.unreachable).toBeUndefined();
    }
  });
});

describe('judgeActual (fetch#cors-check on actual responses)', () => {
  it('a clean gateway answer passes cors.headers.api, cors.vary and cors.duplicate-headers', () => {
    const findings = judgeActual(apiObs(200), G1, 'api');
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['cors.headers.api', 'pass'],
      ['cors.vary', 'pass'],
      ['cors.duplicate-headers', 'pass'],
    ]);
  });

  it('R-CHK-5 a proxy adding a second ACAO line fails cors.duplicate-headers and the CORS check', () => {
    const m = byId(judgeActual(obs({ headers: raw('Access-Control-Allow-Origin: *', ...CLEAN_ACTUAL.map(([n, v]) => `${n}:${v}`)) }), G2, 'health'));
    const dup = m.get('cors.duplicate-headers')!;
    expect(dup.status).toBe('fail');
    expect(dup.observed).toContain('Access-Control-Allow-Origin: *\nAccess-Control-Allow-Origin: https://app.example.com');
    expectActionable(dup);
    expect(m.get('cors.headers.health')?.evidence?.chromiumError).toBe('MultipleAllowOriginValues');
  });

  it('R-CHK-6 a repeated ACAC line fails cors.duplicate-headers', () => {
    const m = byId(
      judgeActual(
        obs({
          headers: raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Credentials: true', 'Vary: Origin'),
        }),
        G2,
        'health',
      ),
    );
    expect(m.get('cors.duplicate-headers')?.status).toBe('fail');
    expect(m.get('cors.headers.health')?.evidence?.chromiumError).toBe('InvalidAllowCredentials');
  });

  it('R-VARY-1 no-vary: an echoed origin without Vary: Origin warns', () => {
    const f = byId(judgeActual(obs({ headers: raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true') }), G2, 'health')).get('cors.vary')!;
    expect(f).toMatchObject({ status: 'warn', remedy: 'Vary: Origin', observed: '(no Vary header)' });
    expectActionable(f);
  });

  it('R-VARY-2 ACAO * needs no Vary', () => {
    expect(byId(judgeActual(ragObs(['Access-Control-Allow-Origin: *']), R1, 'stream')).get('cors.vary')?.status).toBe('pass');
  });

  it('R-ES-1 the RAG stream passes with * or the exact origin, target rag', () => {
    for (const h of ['Access-Control-Allow-Origin: *', `Access-Control-Allow-Origin: ${A}`]) {
      const f = judgeActual(ragObs([h, 'Vary: Origin']), R1, 'stream')[0]!;
      expect(f).toMatchObject({ id: 'cors.headers.stream', status: 'pass', target: 'rag' });
    }
  });

  it('R-CHK-8 cors-after-security: a 401 without CORS headers fails cors.error-response', () => {
    const m = byId(judgeActual(apiObs(401, raw('WWW-Authenticate: Bearer')), G1, 'api'));
    const f = m.get('cors.error-response')!;
    expect(f.status).toBe('fail');
    expect(f.title).toMatch(/TypeError/);
    expectActionable(f);
    expect(m.get('cors.headers.api')?.status).toBe('fail');
  });

  it("an error the app meets on its own calls (401/403/429/5xx, the stream's errors) without CORS fails", () => {
    for (const status of [401, 403, 429, 500, 503]) {
      expect(judgeErrorResponse(obs({ status, headers: raw('Vary: Origin') }), G1, 'met')[0], String(status)).toMatchObject({ status: 'fail' });
    }
    expect(judgeErrorResponse(obs({ status: 503, headers: raw('Content-Type: application/json') }), R1)[0]).toMatchObject({ status: 'fail' });
  });

  it('a 404 of a path the app never calls, without CORS, is a warning that says why it matters; with CORS it passes', () => {
    const f = judgeErrorResponse(obs({ status: 404, headers: raw('Content-Type: text/html') }), G2, 'unknown-path')[0]!;
    expect(f).toMatchObject({ id: 'cors.error-response', status: 'warn' });
    expect(f.title).toMatch(/never calls this path.*wrong or removed path.*TypeError/);
    expect(f.remedy).toBeTruthy();
    expect(judgeErrorResponse(obs({ status: 404, headers: CLEAN_ACTUAL }), G2, 'unknown-path')[0]).toMatchObject({ status: 'pass' });
  });

  it('the worst per target: a readable 401 with an unreadable unknown-path 404 warns; an unreadable 401 fails', () => {
    const readable401 = judgeErrorResponse(obs({ status: 401, headers: CLEAN_ACTUAL }), G1, 'met');
    const bare404 = judgeErrorResponse(obs({ status: 404, headers: raw('Vary: Origin') }), G2, 'unknown-path');
    const bare401 = judgeErrorResponse(obs({ status: 401, headers: raw('Vary: Origin') }), G1, 'met');
    expect(worstPerId([...readable401, ...bare404]).map((f) => f.status)).toEqual(['warn']);
    expect(worstPerId([...bare401, ...bare404]).map((f) => f.status)).toEqual(['fail']);
  });

  it("a 404 of the app's own call (a wrong api path) is met by the app: it fails", () => {
    expect(byId(judgeActual(apiObs(404, raw('Vary: Origin')), G1, 'api')).get('cors.error-response')).toMatchObject({ status: 'fail' });
  });

  it('R-CHK-8 a 404 carrying the CORS headers passes cors.error-response; a 200 yields none', () => {
    expect(judgeErrorResponse(obs({ status: 404, headers: CLEAN_ACTUAL }), G2)).toMatchObject([{ id: 'cors.error-response', status: 'pass' }]);
    expect(judgeErrorResponse(obs({ status: 200, headers: CLEAN_ACTUAL }), G2)).toEqual([]);
  });

  it('R-EXP-1 a header the app reads but cannot see fails with the ACEH line to add', () => {
    const f = judgeActual(obs({ headers: raw(...CLEAN_ACTUAL.map(([n, v]) => `${n}:${v}`), 'X-Request-Id: 7') }), { ...G2, readsHeaders: ['X-Request-Id'] }, 'health')[0]!;
    expect(f).toMatchObject({ status: 'fail', remedy: 'Access-Control-Expose-Headers: x-request-id' });
  });

  it('unreachable: every check fails with the unreachable flag', () => {
    const findings = judgeActual(lost('rag'), R1, 'stream');
    expect(findings.map((f) => f.id)).toEqual(['cors.headers.stream', 'cors.vary', 'cors.duplicate-headers']);
    for (const f of findings) expect(f).toMatchObject({ status: 'fail', unreachable: true, target: 'rag' });
  });
});

describe('judgeProbe (hostile origins judged with fetch#cors-check)', () => {
  const reflect = (origin: string, credentials = true) =>
    obs({
      url: `${GATEWAY}/health`,
      headers: raw(`Access-Control-Allow-Origin: ${origin}`, ...(credentials ? ['Access-Control-Allow-Credentials: true'] : []), 'Vary: Origin'),
    });

  it('reflect-origin: an arbitrary origin passing the credentialed check is a critical fail naming the origin', () => {
    const f = judgeProbe(reflect('https://evil.example'), probe('arbitrary'), true);
    expect(f).toMatchObject({ id: 'cors.probe.arbitrary', status: 'fail', severity: 'critical' });
    expect(f.title).toContain('https://evil.example');
    expect(f.evidence?.canRead).toMatch(/read the 200 response of GET https:\/\/gateway\.example\/health with the visitor.s cookies/);
    expectActionable(f);
  });

  it('null-origin: ACAO null with credentials is critical', () => {
    expect(judgeProbe(reflect('null'), probe('null'), true)).toMatchObject({ status: 'fail', severity: 'critical' });
  });

  it('suffix-match: a sibling host getting through with credentials is high', () => {
    expect(judgeProbe(reflect('https://evilapp.example.com'), probe('suffix'), true)).toMatchObject({
      status: 'fail',
      severity: 'high',
    });
  });

  it('an uncredentialed reflection is medium', () => {
    expect(judgeProbe(reflect('https://app.example.com.evil.example', false), probe('prefix'), false)).toMatchObject({
      status: 'fail',
      severity: 'medium',
    });
  });

  it('R-CHK-3 wildcard-credentials: * with ACAC true grants nothing and is not a hole', () => {
    const f = judgeProbe(reflect('*'), probe('arbitrary'), true);
    expect(f).toMatchObject({ status: 'pass', severity: 'info' });
    expect(f.evidence?.chromiumError).toBe('WildcardOriginNotAllowed');
  });

  it('R-CHK-2 * without credentials is public, not origin-specific: pass', () => {
    expect(judgeProbe(reflect('*', false), probe('arbitrary'), false).status).toBe('pass');
  });

  it('R-CHK-4 an answer naming the allowed origin grants nothing to the probe: pass', () => {
    expect(judgeProbe(reflect(A), probe('arbitrary'), true)).toMatchObject({
      status: 'pass',
      observed: expect.stringContaining(A),
    });
  });

  it('echo without ACAC is not a credentialed hole, but the uncredentialed answer is: the pair keeps the worse', () => {
    const noCred = reflect('https://evil.example', false);
    expect(judgeProbe(noCred, probe('arbitrary'), true).status).toBe('pass');
    const [f] = judgeProbePair(probe('arbitrary'), noCred, noCred);
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
  });

  it('Starlette-style: * to a cookieless probe, echo with credentials → the pair is critical', () => {
    const [f] = judgeProbePair(probe('arbitrary'), reflect('*', false), reflect('https://evil.example'));
    expect(f).toMatchObject({ id: 'cors.probe.arbitrary', status: 'fail', severity: 'critical' });
  });

  it('platform probe id carries the platform', () => {
    const f = judgeProbe(reflect('https://app-evil.vercel.app'), probe('platform.vercel-app'), true);
    expect(f).toMatchObject({ id: 'cors.probe.platform.vercel-app', severity: 'critical' });
  });

  it('unreachable probe: fail, flagged, never pass', () => {
    expect(judgeProbe(lost(), probe('null'), true)).toMatchObject({ status: 'fail', unreachable: true });
  });
});

describe('judgeDivergence', () => {
  const gw = obs({ headers: CLEAN_ACTUAL });
  it('rag-wildcard: gateway echoes the origin, RAG answers * → warn, not fail', () => {
    const [f] = judgeDivergence(gw, ragObs(['Access-Control-Allow-Origin: *']), A);
    expect(f).toMatchObject({ id: 'cors.divergence', status: 'warn', target: 'rag' });
    expect(f!.observed).toContain('rag Access-Control-Allow-Origin: *');
    expectActionable(f!);
  });
  it('agreement passes', () => {
    expect(judgeDivergence(gw, ragObs([`Access-Control-Allow-Origin: ${A}`]), A)[0]?.status).toBe('pass');
  });
  it('any other disagreement warns', () => {
    expect(judgeDivergence(gw, ragObs([]), A)[0]?.status).toBe('warn');
  });
  it('an unreachable side fails with the flag', () => {
    expect(judgeDivergence(gw, lost('rag'), A)[0]).toMatchObject({ status: 'fail', unreachable: true, target: 'rag' });
  });
});

describe('judgeSecurityHeaders (informational)', () => {
  it('HSTS and nosniff present → pass', () => {
    expect(judgeSecurityHeaders(obs({ headers: CLEAN_ACTUAL }))[0]).toMatchObject({
      id: 'security.headers',
      status: 'pass',
      severity: 'info',
    });
  });
  it('missing HSTS on https and X-Powered-By → warn (info) with the lines to add', () => {
    const [f] = judgeSecurityHeaders(obs({ headers: raw('X-Powered-By: Express', 'X-Content-Type-Options: nosniff') }));
    expect(f).toMatchObject({ status: 'warn', severity: 'info' });
    expect(f!.remedy).toContain('Strict-Transport-Security: max-age=31536000; includeSubDomains');
    expectActionable(f!);
  });
  it('plain http needs no HSTS', () => {
    expect(judgeSecurityHeaders(obs({ url: 'http://127.0.0.1:8080/health', headers: raw('X-Content-Type-Options: nosniff') }))[0]?.status).toBe('pass');
  });
});

describe('worstPerId', () => {
  it('keeps the worst finding per target and id', () => {
    const findings = [
      ...judgeActual(apiObs(200), G1, 'api'),
      ...judgeActual(obs({ headers: raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true') }), G2, 'health'),
    ];
    const vary = worstPerId(findings).filter((f) => f.id === 'cors.vary');
    expect(vary).toHaveLength(1);
    expect(vary[0]?.status).toBe('warn');
  });
});

describe('every failing or warning finding is actionable', () => {
  it('expected, observed, remedy, request and rule on all of them', () => {
    const bad = raw(
      'Access-Control-Allow-Origin: *',
      'Access-Control-Allow-Origin: https://x.example',
      'Access-Control-Allow-Methods: GET/POST',
      'Access-Control-Allow-Headers: *',
    );
    const all = [
      ...judgePreflight(preflightObs(401, bad), { ...G1, method: 'PUT' }),
      ...judgeActual(apiObs(500, bad), G1, 'api'),
      ...judgeActual(obs({ headers: raw(`Access-Control-Allow-Origin: ${A}`) }), G2, 'health'),
      judgeProbe(obs({ headers: raw('Access-Control-Allow-Origin: null', 'Access-Control-Allow-Credentials: true') }), probe('null'), true),
      ...judgeDivergence(obs({ headers: CLEAN_ACTUAL }), obs({ target: 'rag', url: `${RAG}/x`, headers: raw('Access-Control-Allow-Origin: *') }), A),
    ].filter((f) => f.status === 'fail' || f.status === 'warn');
    expect(all.length).toBeGreaterThan(8);
    for (const f of all) expectActionable(f);
  });
});
