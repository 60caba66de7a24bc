import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BrowserRequest, type CredentialsMode, corsCheck } from '../../src/fetch/index.js';
import type { RawHeaders } from '../../src/http/types.js';
import { A, G2, R1, raw, req } from './cors-fixtures.js';

const cred = G2;
const anon: BrowserRequest = { ...G2, credentials: 'omit' };

// [test name, request, status, response header lines, allowed, Chromium CorsError]
const CHECK: Array<[string, BrowserRequest, number, RawHeaders, boolean, string | undefined]> = [
  ['R-CHK-1 fetch#cors-check: no ACAO blocks an anonymous request', anon, 200, raw('Content-Type: text/plain'), false, 'MissingAllowOriginHeader'],
  ['R-CHK-1 fetch#cors-check: no ACAO blocks a credentialed request', cred, 200, raw('Access-Control-Allow-Credentials: true'), false, 'MissingAllowOriginHeader'],
  ['R-CHK-2 fetch#cors-check: * allows an anonymous request', anon, 200, raw('Access-Control-Allow-Origin: *'), true, undefined],
  [
    'R-CHK-2 fetch#cors-check: * with ACAC true still allows an anonymous request (ACAC ignored)',
    anon,
    200,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true'),
    true,
    undefined,
  ],
  [
    'R-CHK-2 fetch#cors-check: credentials same-origin on a cross-origin URL counts as anonymous',
    { ...G2, credentials: 'same-origin' },
    200,
    raw('Access-Control-Allow-Origin: *'),
    true,
    undefined,
  ],
  [
    'R-CHK-3 fetch#cors-check: * with credentials is blocked even with ACAC true',
    cred,
    200,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true'),
    false,
    'WildcardOriginNotAllowed',
  ],
  ['R-CHK-4 fetch#cors-check: the exact serialized origin is allowed', anon, 200, raw(`Access-Control-Allow-Origin: ${A}`), true, undefined],
  ['R-CHK-4 fetch#cors-check: a trailing slash does not match', anon, 200, raw(`Access-Control-Allow-Origin: ${A}/`), false, 'AllowOriginMismatch'],
  ['R-CHK-4 fetch#cors-check: comparison is case-sensitive (HTTPS://)', anon, 200, raw('Access-Control-Allow-Origin: HTTPS://app.example.com'), false, 'AllowOriginMismatch'],
  ['R-CHK-4 fetch#cors-check: an explicit default port :443 does not match', anon, 200, raw(`Access-Control-Allow-Origin: ${A}:443`), false, 'AllowOriginMismatch'],
  ['R-CHK-4 fetch#cors-check: another origin does not match', anon, 200, raw('Access-Control-Allow-Origin: https://other.example.com'), false, 'AllowOriginMismatch'],
  ['R-CHK-4 fetch#cors-check: null does not match a real origin', anon, 200, raw('Access-Control-Allow-Origin: null'), false, 'AllowOriginMismatch'],
  ['R-CHK-4 fetch#cors-check: surrounding whitespace is stripped by HTTP parsing', anon, 200, raw(`Access-Control-Allow-Origin:   ${A} \t`), true, undefined],
  ['R-CHK-4 fetch#cors-check: header names are case-insensitive', cred, 200, raw(`ACCESS-CONTROL-ALLOW-ORIGIN: ${A}`, 'access-control-allow-credentials: true'), true, undefined],
  ['R-CHK-4 fetch#cors-check: an unparseable value is InvalidAllowOriginValue', anon, 200, raw('Access-Control-Allow-Origin: garbage'), false, 'InvalidAllowOriginValue'],
  ['R-CHK-4 fetch#cors-check: an empty value is blocked', anon, 200, raw('Access-Control-Allow-Origin: '), false, 'InvalidAllowOriginValue'],
  [
    'R-CHK-4 fetch#cors-check: a non-ASCII look-alike origin is blocked, not thrown',
    anon,
    200,
    raw('Access-Control-Allow-Origin: https://äpp.example.com'),
    false,
    'AllowOriginMismatch',
  ],
  [
    'R-CHK-5 fetch#concept-header-list-get: two lines (* then origin) are joined and blocked',
    cred,
    200,
    raw('Access-Control-Allow-Origin: *', `Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true'),
    false,
    'MultipleAllowOriginValues',
  ],
  [
    'R-CHK-5 fetch#concept-header-list-get: two identical lines are blocked too',
    anon,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, `access-control-allow-origin: ${A}`),
    false,
    'MultipleAllowOriginValues',
  ],
  ['R-CHK-5 fetch#cors-check: a comma list in one line is blocked', anon, 200, raw(`Access-Control-Allow-Origin: ${A}, https://b.example`), false, 'MultipleAllowOriginValues'],
  ['R-CHK-5 fetch#cors-check: a space-separated list is blocked', anon, 200, raw(`Access-Control-Allow-Origin: ${A} https://b.example`), false, 'MultipleAllowOriginValues'],
  ['R-CHK-6 fetch#cors-check: credentialed without ACAC is blocked', cred, 200, raw(`Access-Control-Allow-Origin: ${A}`), false, 'InvalidAllowCredentials'],
  [
    'R-CHK-6 fetch#cors-check: ACAC "True" is blocked (case-sensitive)',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: True'),
    false,
    'InvalidAllowCredentials',
  ],
  [
    'R-CHK-6 fetch#cors-check: ACAC "TRUE" is blocked',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: TRUE'),
    false,
    'InvalidAllowCredentials',
  ],
  ['R-CHK-6 fetch#cors-check: ACAC "1" is blocked', cred, 200, raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: 1'), false, 'InvalidAllowCredentials'],
  [
    'R-CHK-6 fetch#cors-check: a quoted "true" is blocked',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: "true"'),
    false,
    'InvalidAllowCredentials',
  ],
  [
    'R-CHK-6 fetch#concept-header-list-get: two ACAC lines ("true, true") are blocked',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Credentials: true'),
    false,
    'InvalidAllowCredentials',
  ],
  [
    'R-CHK-6 fetch#cors-check: whitespace around true is stripped and passes',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials:  true '),
    true,
    undefined,
  ],
  [
    'R-CHK-7 fetch#cors-check: exact origin and ACAC true allow a credentialed request',
    cred,
    200,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true'),
    true,
    undefined,
  ],
  ['R-CHK-8 fetch#http-fetch: a 401 without ACAO is blocked (the app sees a TypeError)', cred, 401, raw('WWW-Authenticate: Bearer'), false, 'MissingAllowOriginHeader'],
  [
    'R-CHK-8 fetch#http-responses: a 404 with the CORS headers is readable',
    cred,
    404,
    raw(`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Credentials: true'),
    true,
    undefined,
  ],
  ['R-CHK-9 fetch#http-fetch: a 307 redirect without ACAO is blocked before it is followed', anon, 307, raw(`Location: ${A}/x/`), false, 'MissingAllowOriginHeader'],
  [
    'R-NULL-1 fetch#serializing-a-request-origin: ACAO null matches an opaque (null) origin',
    { ...cred, origin: 'null' },
    200,
    raw('Access-Control-Allow-Origin: null', 'Access-Control-Allow-Credentials: true'),
    true,
    undefined,
  ],
  [
    'R-ES-1 html#dom-eventsource: EventSource without credentials accepts ACAO *',
    R1,
    200,
    raw('Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: nonsense'),
    true,
    undefined,
  ],
  ['R-ES-1 html#dom-eventsource: EventSource without credentials accepts the exact origin', R1, 200, raw(`Access-Control-Allow-Origin: ${A}`), true, undefined],
  [
    'R-ES-2 html#dom-eventsource: withCredentials:true needs more than *',
    { ...R1, credentials: 'include' },
    200,
    raw('Access-Control-Allow-Origin: *'),
    false,
    'WildcardOriginNotAllowed',
  ],
  [
    'R-ES-6 html#dom-eventsource: a wrong ACAO on the stream fails the connection',
    R1,
    200,
    raw('Access-Control-Allow-Origin: https://zantara.example'),
    false,
    'AllowOriginMismatch',
  ],
];

describe('corsCheck (fetch#cors-check)', () => {
  it.each(CHECK)('%s', (_name, request, status, headers, allowed, chromium) => {
    const v = corsCheck(request, status, headers);
    expect(v.allowed).toBe(allowed);
    expect(v.chromiumError).toBe(chromium);
    expect(v.rule).toMatch(/^(fetch|html)#/);
    if (!allowed) expect(v.remedy).toMatch(/^Access-Control-Allow-(Origin|Credentials): /);
  });

  it('R-REQ-1 html#same-origin: a same-origin request is not subject to the check', () => {
    expect(corsCheck(req({ url: `${A}/api` }), 200, []).allowed).toBe(true);
  });

  const header = fc.tuple(
    fc.constantFrom('Access-Control-Allow-Origin', 'access-control-allow-origin', 'Access-Control-Allow-Credentials', 'ACCESS-CONTROL-ALLOW-CREDENTIALS', 'Vary', 'X-Other'),
    fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('*', A, 'true', ' true ', 'null', `${A}, *`, '')),
  );
  const mode = fc.constantFrom<CredentialsMode>('include', 'omit', 'same-origin');

  it('R-CHK-3 fetch#cors-check (invariant): `*` with credentials is never allowed, whatever else is sent', () => {
    fc.assert(
      fc.property(fc.array(header), fc.integer({ min: 0, max: 5 }), (others, at) => {
        const lines: RawHeaders = [...others.filter(([n]) => n.toLowerCase() !== 'access-control-allow-origin')];
        lines.splice(Math.min(at, lines.length), 0, ['Access-Control-Allow-Origin', '*']);
        expect(corsCheck(cred, 200, lines).allowed).toBe(false);
      }),
    );
  });

  it('R-CHK-4 fetch#cors-check (invariant): never throws and only allows the exact origin or *', () => {
    fc.assert(
      fc.property(fc.array(header), mode, fc.integer({ min: 0, max: 599 }), (lines, credentials, status) => {
        const v = corsCheck({ ...G2, credentials }, status, lines);
        const acao = lines.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin').map(([, v]) => v.trim());
        if (v.allowed) expect(acao).toHaveLength(1);
        if (v.allowed) expect([A, ...(credentials === 'include' ? [] : ['*'])]).toContain(acao[0]);
      }),
    );
  });
});
