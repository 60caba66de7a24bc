import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BrowserRequest, corsCheck, exposedHeaders, parseMaxAge, preflightAspects, preflightCheck, preflightNeeded, preflightRequest } from '../../src/fetch/index.js';
import type { RawHeaders } from '../../src/http/types.js';
import { A, CLEAN_ACTUAL, CLEAN_PREFLIGHT, G1, G2, R1, raw, req } from './cors-fixtures.js';

const ORIGIN_CRED = [`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true'];
const anonPut = req({ method: 'PUT', headers: {}, credentials: 'omit' });
const credPut = req({ method: 'PUT', headers: {} });
const anonCustom = req({ headers: { 'X-Custom': '1' }, credentials: 'omit' });
const credCustom = req({ headers: { 'X-Custom': '1' } });
const anonAuth = req({ headers: { Authorization: 'Bearer x' }, credentials: 'omit' });

// [test name, request, status, preflight response lines, allowed, Chromium CorsError]
const PREFLIGHT: Array<[string, BrowserRequest, number, RawHeaders, boolean, string | undefined]> = [
  ['R-PF-1 fetch#cors-preflight-fetch-0: 204 with the right headers passes', G1, 204, CLEAN_PREFLIGHT, true, undefined],
  ['R-PF-1 fetch#ok-status: 200 is an ok status too', G1, 200, CLEAN_PREFLIGHT, true, undefined],
  ['R-PF-1 fetch#ok-status: 299 is still ok', G1, 299, CLEAN_PREFLIGHT, true, undefined],
  ['R-PF-1 fetch#cors-preflight-fetch-0: a 301 preflight is not followed', G1, 301, CLEAN_PREFLIGHT, false, 'PreflightDisallowedRedirect'],
  ['R-PF-1 fetch#cors-preflight-fetch-0: a 307 trailing-slash redirect blocks', G1, 307, CLEAN_PREFLIGHT, false, 'PreflightDisallowedRedirect'],
  ['R-PF-1 fetch#cors-preflight-fetch-0: a 308 redirect blocks', G1, 308, raw('Location: /x/'), false, 'PreflightDisallowedRedirect'],
  ['R-PF-1 fetch#ok-status: 401 (authenticated OPTIONS) blocks even with CORS headers', G1, 401, CLEAN_PREFLIGHT, false, 'PreflightInvalidStatus'],
  ['R-PF-1 fetch#ok-status: 403 blocks', G1, 403, CLEAN_PREFLIGHT, false, 'PreflightInvalidStatus'],
  ['R-PF-1 fetch#ok-status: 405 blocks', G1, 405, CLEAN_PREFLIGHT, false, 'PreflightInvalidStatus'],
  ['R-PF-1 fetch#ok-status: 500 blocks', G1, 500, CLEAN_PREFLIGHT, false, 'PreflightInvalidStatus'],
  [
    'R-PF-1 fetch#cors-preflight-fetch-0: a bare 404 reports the missing ACAO first (Chromium order)',
    G1,
    404,
    raw('Content-Type: text/html'),
    false,
    'PreflightMissingAllowOriginHeader',
  ],
  [
    'R-PF-2 fetch#cors-preflight-fetch-0: the preflight is checked with the actual credentials mode (* blocked)',
    G1,
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: authorization, content-type'),
    false,
    'PreflightWildcardOriginNotAllowed',
  ],
  [
    'R-PF-2 fetch#cors-preflight-fetch-0: a credentialed preflight needs ACAC true',
    G1,
    204,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Headers: authorization, content-type'),
    false,
    'PreflightInvalidAllowCredentials',
  ],
  [
    'R-PF-2 fetch#cors-preflight-fetch-0: duplicated ACAO on the preflight',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: authorization, content-type'),
    false,
    'PreflightMultipleAllowOriginValues',
  ],
  [
    'R-PF-2 fetch#cors-preflight-fetch-0: a mismatching origin on the preflight',
    G1,
    204,
    raw('Access-Control-Allow-Origin: https://other.example', 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: authorization, content-type'),
    false,
    'PreflightAllowOriginMismatch',
  ],
  ['R-PF-3 fetch#cors-preflight-fetch-0: POST needs no ACAM', G1, 204, raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorization, content-type'), true, undefined],
  [
    'R-PF-3 fetch#cors-preflight-fetch-0: POST passes even if ACAM lists only GET',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Headers: authorization, content-type'),
    true,
    undefined,
  ],
  [
    'R-PF-4 fetch#cors-preflight-fetch-0: PUT not in ACAM blocks',
    credPut,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET, POST'),
    false,
    'MethodDisallowedByPreflightResponse',
  ],
  [
    'R-PF-4 fetch#cors-preflight-fetch-0: ACAM "put" does not allow PUT (case-sensitive)',
    credPut,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: put'),
    false,
    'MethodDisallowedByPreflightResponse',
  ],
  ['R-PF-4 fetch#cors-preflight-fetch-0: ACAM GET,PUT without spaces allows PUT', credPut, 204, raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET,PUT'), true, undefined],
  [
    'R-PF-4 fetch#cors-preflight-fetch-0: ACAM split over two lines is one list',
    credPut,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Methods: PUT'),
    true,
    undefined,
  ],
  [
    'R-PF-4 fetch#concept-method-normalize: "patch" is not allowed by ACAM PATCH',
    req({ method: 'patch', headers: {} }),
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: PATCH'),
    false,
    'MethodDisallowedByPreflightResponse',
  ],
  [
    'R-PF-4 fetch#concept-method-normalize: "patch" is allowed by ACAM patch',
    req({ method: 'patch', headers: {} }),
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: patch'),
    true,
    undefined,
  ],
  [
    'R-PF-4 fetch#concept-method-normalize: "delete" is normalised and allowed by ACAM DELETE',
    req({ method: 'delete', headers: {} }),
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: DELETE'),
    true,
    undefined,
  ],
  [
    'R-PF-5 fetch#cors-preflight-fetch-0: ACAM * allows PUT without credentials',
    anonPut,
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Methods: *'),
    true,
    undefined,
  ],
  [
    'R-PF-5 fetch#cors-preflight-fetch-0: ACAM * is literal with credentials',
    credPut,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: *'),
    false,
    'MethodDisallowedByPreflightResponse',
  ],
  [
    'R-PF-6 fetch#cors-preflight-fetch-0: content-type missing from ACAH blocks',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorization'),
    false,
    'HeaderDisallowedByPreflightResponse',
  ],
  ['R-PF-6 fetch#cors-preflight-fetch-0: no ACAH at all blocks unsafe headers', G1, 204, raw(...ORIGIN_CRED), false, 'HeaderDisallowedByPreflightResponse'],
  [
    'R-PF-6 fetch#cors-preflight-fetch-0: header names compare case-insensitively',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: Authorization, CONTENT-TYPE'),
    true,
    undefined,
  ],
  [
    'R-PF-6 fetch#extract-header-list-values: whitespace and empty list elements are tolerated',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers:  authorization ,, content-type ,'),
    true,
    undefined,
  ],
  [
    'R-PF-6 fetch#extract-header-list-values: ACAH split over two lines is one list',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorization', 'access-control-allow-headers: content-type'),
    true,
    undefined,
  ],
  [
    'R-PF-7 fetch#cors-preflight-fetch-0: ACAH * covers X-Custom without credentials',
    anonCustom,
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: *'),
    true,
    undefined,
  ],
  [
    'R-PF-8 fetch#cors-non-wildcard-request-header-name: ACAH * never covers authorization',
    anonAuth,
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: *'),
    false,
    'HeaderDisallowedByPreflightResponse',
  ],
  [
    'R-PF-8 fetch#cors-preflight-fetch-0: ACAH "*, authorization" allows authorization without credentials',
    anonAuth,
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: *, Authorization'),
    true,
    undefined,
  ],
  [
    'R-PF-8 fetch#cors-preflight-fetch-0: with credentials ACAH * does not cover G1 either',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: *'),
    false,
    'HeaderDisallowedByPreflightResponse',
  ],
  [
    'R-PF-9 fetch#cors-preflight-fetch-0: ACAH * is literal with credentials',
    credCustom,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: *'),
    false,
    'HeaderDisallowedByPreflightResponse',
  ],
  [
    'R-PF-10 fetch#extract-header-list-values: "Content-Type;" in ACAH is a network error',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorization, Content-Type;'),
    false,
    'InvalidAllowHeadersPreflightResponse',
  ],
  [
    'R-PF-10 fetch#extract-header-list-values: "GET/POST" in ACAM fails even for POST',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET/POST', 'Access-Control-Allow-Headers: authorization, content-type'),
    false,
    'InvalidAllowMethodsPreflightResponse',
  ],
  [
    'R-PF-10 fetch#extract-header-list-values: a non-ASCII header name in ACAH is invalid',
    G1,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorizätion, content-type'),
    false,
    'InvalidAllowHeadersPreflightResponse',
  ],
  [
    'R-PF-10 fetch#cors-preflight-fetch-0: an invalid ACAH is reported before a disallowed method',
    credPut,
    204,
    raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Headers: a b'),
    false,
    'InvalidAllowHeadersPreflightResponse',
  ],
  [
    'R-ES-5 fetch#cors-preflight-fetch-0: ACAH last-event-id answers a reconnect preflight',
    req({ ...R1, headers: { 'Last-Event-ID': 'x'.repeat(200) } }),
    204,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: last-event-id'),
    true,
    undefined,
  ],
];

describe('preflightCheck (fetch#cors-preflight-fetch-0)', () => {
  it.each(PREFLIGHT)('%s', (_name, request, status, headers, allowed, chromium) => {
    const v = preflightCheck(request, status, headers);
    expect(v.allowed).toBe(allowed);
    expect(v.chromiumError).toBe(chromium);
    if (!allowed) expect(v.remedy).toBeTruthy();
  });

  it('R-PF-6 fetch#cors-preflight-fetch-0: the remedy lists every header the request needs', () => {
    const a = preflightAspects(G1, 204, raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: authorization'));
    expect(a.allowHeaders.remedy).toBe('Access-Control-Allow-Headers: authorization, content-type');
  });

  it('R-PF-8 fetch#cors-preflight-fetch-0: the remedy replaces * with the explicit names', () => {
    const a = preflightAspects(G1, 204, raw(...ORIGIN_CRED, 'Access-Control-Allow-Headers: *'));
    expect(a.allowHeaders.remedy).toBe('Access-Control-Allow-Headers: authorization, content-type');
  });

  it('R-PF-4 fetch#cors-preflight-fetch-0: the remedy fixes a wrong-case method', () => {
    expect(preflightAspects(credPut, 204, raw(...ORIGIN_CRED, 'Access-Control-Allow-Methods: GET, put')).allowMethods.remedy).toBe('Access-Control-Allow-Methods: GET, PUT');
  });

  it('R-PF-10 fetch#cors-preflight-fetch-0 (invariant): never throws on arbitrary header lines', () => {
    const name = fc.constantFrom(
      'Access-Control-Allow-Origin',
      'Access-Control-Allow-Methods',
      'access-control-allow-headers',
      'Access-Control-Max-Age',
      'Access-Control-Allow-Credentials',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ unit: 'binary' }))), fc.integer({ min: 0, max: 999 }), (lines, status) => {
        const v = preflightCheck(G1, status, lines);
        expect(typeof v.allowed).toBe('boolean');
        if (lines.some(([n, val]) => n === 'Access-Control-Allow-Origin' && val.trim() === '*')) expect(v.allowed).toBe(false);
      }),
    );
  });
});

// [test name, header lines, standard seconds, Chromium seconds, valid]
const MAX_AGE: Array<[string, RawHeaders, number, number, boolean]> = [
  ['R-CACHE-1 fetch#cors-preflight-fetch-0: absent means 5 s', raw(), 5, 5, false],
  ['R-CACHE-1 fetch#cors-preflight-fetch-0: 600 is 600 s', raw('Access-Control-Max-Age: 600'), 600, 600, true],
  ['R-CACHE-1 fetch#http-new-header-syntax: whitespace around delta-seconds is stripped', raw('Access-Control-Max-Age:  600 '), 600, 600, true],
  ['R-CACHE-2 fetch#cors-preflight-fetch-0: Chromium caps at 7200 s', raw('Access-Control-Max-Age: 86400'), 86400, 7200, true],
  ['R-CACHE-1 fetch#cors-preflight-fetch-0: negative is invalid (5 s); Chromium does not cache', raw('Access-Control-Max-Age: -1'), 5, 0, false],
  ['R-CACHE-1 fetch#cors-preflight-fetch-0: a decimal is invalid (5 s)', raw('Access-Control-Max-Age: 1.5'), 5, 5, false],
  ['R-CACHE-1 fetch#extract-header-list-values: two lines are invalid (5 s)', raw('Access-Control-Max-Age: 600', 'Access-Control-Max-Age: 600'), 5, 5, false],
];

describe('parseMaxAge (fetch#cors-preflight-fetch-0 steps 7.8-7.10)', () => {
  it.each(MAX_AGE)('%s', (_name, headers, seconds, chromium, valid) => {
    const m = parseMaxAge(headers);
    expect([m.seconds, m.chromiumSeconds, m.valid]).toEqual([seconds, chromium, valid]);
  });
});

describe('exposedHeaders (fetch#cors-safelisted-response-header-name)', () => {
  const response = ['Content-Type: application/json', 'X-Request-Id: 1', 'Set-Cookie: a=b', 'Retry-After: 5'];
  it('R-EXP-1 fetch#cors-safelisted-response-header-name: only safelisted names without ACEH', () => {
    const e = exposedHeaders(G2, raw(...ORIGIN_CRED, ...response));
    expect(e.readable).toEqual(['content-type']);
    expect(e.hidden).toContain('x-request-id');
  });
  it('R-EXP-1 fetch#main-fetch: ACEH adds names, case-insensitively', () => {
    expect(exposedHeaders(G2, raw(...ORIGIN_CRED, ...response, 'Access-Control-Expose-Headers: X-REQUEST-ID')).readable).toEqual(['content-type', 'x-request-id']);
  });
  it('R-EXP-2 fetch#main-fetch: ACEH * exposes everything but Set-Cookie without credentials', () => {
    const e = exposedHeaders({ ...G2, credentials: 'omit' }, raw('Access-Control-Allow-Origin: *', ...response, 'Access-Control-Expose-Headers: *'));
    expect(e.exposeAll).toBe(true);
    expect(e.hidden).toEqual(['set-cookie']);
  });
  it('R-EXP-2 fetch#main-fetch: ACEH * is a literal name with credentials', () => {
    const e = exposedHeaders({ ...G2, readsHeaders: ['X-Request-Id'] }, raw(...ORIGIN_CRED, ...response, 'Access-Control-Expose-Headers: *'));
    expect(e.exposeAll).toBe(false);
    expect(e.missing).toEqual(['x-request-id']);
  });
  it('R-EXP-1 fetch#main-fetch: an unparseable ACEH exposes only the safelist', () => {
    expect(exposedHeaders(G2, raw(...ORIGIN_CRED, ...response, 'Access-Control-Expose-Headers: x-request-id;')).readable).toEqual(['content-type']);
  });
  it('R-CHK-1 fetch#cors-check: nothing is readable when the CORS check fails', () => {
    expect(exposedHeaders(G2, raw(...response)).readable).toEqual([]);
  });
});

describe('worked verdicts for the target deployment (docs/browser-rules.md)', () => {
  it('§1.10 G1 fetch#cors-preflight-fetch-0: preflighted with ACRM POST, ACRH authorization,content-type; clean answers pass', () => {
    expect(preflightNeeded(G1).needed).toBe(true);
    expect(preflightRequest(G1).headers['Access-Control-Request-Headers']).toBe('authorization,content-type');
    expect(preflightCheck(G1, 204, CLEAN_PREFLIGHT).allowed).toBe(true);
    expect(corsCheck(G1, 200, CLEAN_ACTUAL).allowed).toBe(true);
  });
  it('§1.10 G1 fetch#cors-check: the actual response must pass again on its own headers (R-PF-11)', () => {
    expect(preflightCheck(G1, 204, CLEAN_PREFLIGHT).allowed).toBe(true);
    expect(corsCheck(G1, 200, raw('Content-Type: application/json')).allowed).toBe(false);
  });
  it('§1.10 G2 fetch#cors-check: credentialed GET /health, no preflight, needs origin + ACAC', () => {
    expect(preflightNeeded(G2).needed).toBe(false);
    expect(corsCheck(G2, 200, CLEAN_ACTUAL).allowed).toBe(true);
    expect(corsCheck(G2, 200, raw('Access-Control-Allow-Origin: *')).allowed).toBe(false);
  });
  it('§1.10 R1 fetch#cors-check: EventSource without credentials, no preflight, * or the origin pass', () => {
    expect(preflightNeeded(R1).needed).toBe(false);
    expect(corsCheck(R1, 200, raw('Access-Control-Allow-Origin: *', 'Content-Type: text/event-stream')).allowed).toBe(true);
    expect(corsCheck(R1, 200, raw(`Access-Control-Allow-Origin: ${A}`, 'Vary: Origin')).allowed).toBe(true);
  });
  it('§1.10 R2 fetch#cors-preflight-fetch-0: a long Last-Event-ID reconnect preflights with ACRH last-event-id', () => {
    const r2 = { ...R1, headers: { ...R1.headers, 'Last-Event-ID': 'e'.repeat(129) } };
    expect(preflightRequest(r2).headers['Access-Control-Request-Headers']).toBe('last-event-id');
    expect(preflightCheck(r2, 204, raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Headers: *')).allowed).toBe(true);
    expect(preflightCheck(r2, 204, raw('Access-Control-Allow-Origin: *')).chromiumError).toBe('HeaderDisallowedByPreflightResponse');
  });
});
