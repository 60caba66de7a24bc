import { describe, expect, it } from 'vitest';
import { type BrowserRequest, actualRequest, normalizeMethod, preflightNeeded, preflightRequest, serializeOrigin } from '../../src/fetch/index.js';
import { A, G1, GATEWAY, R1, req } from './cors-fixtures.js';

const anonGet = (headers: Record<string, string>, method = 'GET'): BrowserRequest => req({ method, headers, credentials: 'omit', url: `${GATEWAY}/x` });

// [test name, request, preflight needed, Access-Control-Request-Headers names]
const NEED: Array<[string, BrowserRequest, boolean, string[]]> = [
  ['R-REQ-2 fetch#cors-safelisted-method: GET without headers is not preflighted', anonGet({}), false, []],
  ['R-REQ-2 fetch#cors-safelisted-method: HEAD is not preflighted', anonGet({}, 'HEAD'), false, []],
  ['R-REQ-2 fetch#cors-safelisted-method: POST text/plain is not preflighted', anonGet({ 'Content-Type': 'text/plain' }, 'POST'), false, []],
  ['R-REQ-6 fetch#concept-method-normalize: "post" is normalised to POST, safelisted', anonGet({}, 'post'), false, []],
  ['R-REQ-6 fetch#concept-method-normalize: "patch" stays patch and is preflighted', anonGet({}, 'patch'), true, []],
  ['R-REQ-2 fetch#cors-safelisted-method: PUT is preflighted', anonGet({}, 'PUT'), true, []],
  ['R-REQ-2 fetch#cors-safelisted-method: DELETE is preflighted', anonGet({}, 'delete'), true, []],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Content-Type application/json is unsafe', anonGet({ 'Content-Type': 'application/json' }, 'POST'), true, ['content-type']],
  [
    'R-REQ-3 fetch#cors-safelisted-request-header: multipart/form-data with boundary is safelisted',
    anonGet({ 'Content-Type': 'multipart/form-data; boundary=x' }, 'POST'),
    false,
    [],
  ],
  [
    'R-REQ-3 fetch#cors-safelisted-request-header: urlencoded;charset=UTF-8 is safelisted',
    anonGet({ 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' }, 'POST'),
    false,
    [],
  ],
  ['R-REQ-3 fetch#cors-safelisted-request-header: MIME essence is case-insensitive (Text/Plain)', anonGet({ 'Content-Type': 'Text/Plain' }, 'POST'), false, []],
  [
    'R-REQ-3 fetch#cors-unsafe-request-header-byte: a quoted charset (") makes Content-Type unsafe',
    anonGet({ 'Content-Type': 'text/plain; charset="utf-8"' }, 'POST'),
    true,
    ['content-type'],
  ],
  [
    'R-REQ-3 fetch#cors-safelisted-request-header: Content-Type over 128 bytes is unsafe',
    anonGet({ 'Content-Type': `text/plain;x=${'a'.repeat(120)}` }, 'POST'),
    true,
    ['content-type'],
  ],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Accept of exactly 128 bytes is safelisted', anonGet({ Accept: `a/${'b'.repeat(126)}` }), false, []],
  ['R-REQ-3 fetch#cors-unsafe-request-header-byte: Accept with @ is unsafe', anonGet({ Accept: 'text/html@x' }), true, ['accept']],
  ['R-ES-4 fetch#cors-safelisted-request-header: Accept: text/event-stream is safelisted', anonGet({ Accept: 'text/event-stream' }), false, []],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Accept-Language en-US,en;q=0.9 is safelisted', anonGet({ 'Accept-Language': 'en-US,en;q=0.9' }), false, []],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Accept-Language with _ is unsafe', anonGet({ 'Accept-Language': 'en_US' }), true, ['accept-language']],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Content-Language with ( is unsafe', anonGet({ 'Content-Language': 'de(x)' }), true, ['content-language']],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Range bytes=0- is safelisted', anonGet({ Range: 'bytes=0-' }), false, []],
  ['R-REQ-3 fetch#cors-safelisted-request-header: suffix Range bytes=-500 is unsafe', anonGet({ Range: 'bytes=-500' }), true, ['range']],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Range with start > end is unsafe', anonGet({ Range: 'bytes=5-1' }), true, ['range']],
  ['R-REQ-3 fetch#cors-safelisted-request-header: Authorization is never safelisted', anonGet({ Authorization: 'Bearer x' }), true, ['authorization']],
  ['R-REQ-3 fetch#cors-safelisted-request-header: a custom X-Request-Id is unsafe', anonGet({ 'X-Request-Id': '1' }), true, ['x-request-id']],
  [
    'R-REQ-3 fetch#cors-unsafe-request-header-names: safelisted values over 1024 bytes in total all become unsafe',
    anonGet(Object.fromEntries(['Accept', 'aCcept', 'acCept', 'accEpt', 'accePt', 'accepT', 'ACcept', 'aCCept', 'acCEpt'].map((n) => [n, `a/${'b'.repeat(118)}`]))),
    true,
    ['accept'],
  ],
  ['R-REQ-3 fetch#forbidden-request-header: Cookie is dropped, not preflighted', anonGet({ Cookie: 'a=b' }), false, []],
  ['R-REQ-3 fetch#forbidden-request-header: Sec-* and Proxy-* are dropped', anonGet({ 'Sec-Foo': '1', 'Proxy-Authorization': 'x' }), false, []],
  ['R-REQ-3 fetch#forbidden-request-header: X-HTTP-Method-Override: TRACE is dropped', anonGet({ 'X-HTTP-Method-Override': 'TRACE' }), false, []],
  ['R-REQ-3 fetch#concept-header-value-normalize: surrounding whitespace is stripped before safelisting', anonGet({ 'Content-Type': '  text/plain \t' }, 'POST'), false, []],
  [
    'R-REQ-4 fetch#convert-header-names-to-a-sorted-lowercase-set: names sorted, lower-cased, unique',
    anonGet({ 'X-B': '1', 'X-A': '1', 'x-a': '2', 'Content-Type': 'application/json' }, 'POST'),
    true,
    ['content-type', 'x-a', 'x-b'],
  ],
  [
    'R-ES-5 fetch#cors-safelisted-request-header: a Last-Event-ID reconnect header is not safelisted',
    anonGet({ Accept: 'text/event-stream', 'Last-Event-ID': 'x'.repeat(200) }),
    true,
    ['last-event-id'],
  ],
  ['R-REQ-1 html#same-origin: a same-origin request needs no preflight', req({ url: `${A}/api`, credentials: 'include' }), false, []],
];

describe('preflightNeeded (fetch#main-fetch)', () => {
  it.each(NEED)('%s', (_name, request, needed, names) => {
    const result = preflightNeeded(request);
    expect(result.needed).toBe(needed);
    expect(result.unsafeHeaderNames).toEqual(names);
    expect(result.reason).not.toBe('');
  });

  it('R-REQ-3 fetch#forbidden-request-header: dropped names are reported', () => {
    expect(preflightNeeded(anonGet({ Cookie: 'a=b', Host: 'x' })).droppedHeaderNames).toEqual(['cookie', 'host']);
  });

  it('R-REQ-3 fetch#concept-headers-append: a header fetch() would reject is reported, not thrown', () => {
    const r = preflightNeeded(anonGet({ 'Bad Name': 'x', 'X-Ok': 'é€' }));
    expect(r.invalidHeaderNames).toEqual(['bad name', 'x-ok']);
  });

  it('R-REQ-6 fetch#concept-method-normalize: only the six standard methods are upper-cased', () => {
    expect(['get', 'Post', 'delete', 'options', 'put', 'head', 'patch', 'Patch'].map(normalizeMethod)).toEqual([
      'GET',
      'POST',
      'DELETE',
      'OPTIONS',
      'PUT',
      'HEAD',
      'patch',
      'Patch',
    ]);
  });
});

describe('preflightRequest (fetch#cors-preflight-fetch-0)', () => {
  it('R-REQ-4 fetch#cors-preflight-fetch-0: G1 sends OPTIONS with Accept, Origin, ACRM and sorted ACRH without spaces', () => {
    expect(preflightRequest(G1)).toEqual({
      method: 'OPTIONS',
      url: `${GATEWAY}/api/chat`,
      headers: {
        Accept: '*/*',
        Origin: A,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
  });

  it('R-REQ-5 fetch#cors-protocol-and-credentials: the preflight carries no cookie and no Authorization', () => {
    const headers = Object.keys(preflightRequest(req({ headers: { ...G1.headers, Cookie: 'sid=1' } })).headers).map((h) => h.toLowerCase());
    expect(headers).not.toContain('cookie');
    expect(headers).not.toContain('authorization');
  });

  it('R-REQ-4 fetch#cors-preflight-fetch-0: no Access-Control-Request-Headers when every header is safelisted', () => {
    expect(preflightRequest(req({ method: 'PUT', headers: { Accept: 'application/json' } })).headers).not.toHaveProperty('Access-Control-Request-Headers');
  });

  it('R-REQ-1 fetch#serializing-a-request-origin: Origin is lower-case, default port and slash dropped', () => {
    expect(serializeOrigin('HTTPS://App.Example.com:443/')).toBe(A);
    expect(serializeOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(serializeOrigin('null')).toBe('null');
    expect(serializeOrigin('not a url')).toBe('not a url');
  });

  it('R-REQ-1 fetch#append-a-request-origin-header: the actual request carries Origin, not forbidden headers', () => {
    expect(actualRequest(req({ headers: { ...G1.headers, Cookie: 'sid=1' } })).headers).toEqual({
      ...G1.headers,
      Origin: A,
    });
    expect(actualRequest(R1).method).toBe('GET');
  });
});
