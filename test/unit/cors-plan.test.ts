import { describe, expect, it } from 'vitest';
import { DUMMY_BEARER } from '../../src/checks/cors/config.js';
import { judgeActual } from '../../src/checks/cors/judge/actual.js';
import {
  NOT_FOUND_PATH,
  PROBE_CREDENTIALS,
  appCalls,
  errorPlans,
  fetchStreamProbePlan,
  mergeHeaders,
  plannedProbes,
  preflightPlan,
  probePlans,
} from '../../src/checks/cors/plan.js';
import { mapLimit } from '../../src/checks/cors/probe.js';
import { preflightNeeded } from '../../src/fetch/index.js';
import { type LoadOptions, loadConfig } from '../../src/config/load.js';
import { type Config, configSchema } from '../../src/checks/config.js';
import { obs } from './cors-fixtures.js';

const SECRET = 'Bearer s3cret-user-token';

/** The config as if `file` were the config file (placed key by key, source "test"); no environment. */
function config(file: object = {}, overrides: LoadOptions['overrides'] = []): Config {
  const placed = Object.entries(file).map(([key, value]) => ({ path: [key], value, source: 'test' }));
  return loadConfig(configSchema, { env: {}, cwd: '/nonexistent', overrides: [...placed, ...overrides] }).config;
}

const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));

describe("cors config section (defaults are the issue's three requests)", () => {
  it('defaults: credentialed JSON POST with a dummy bearer, credentialed GET of the health path, anonymous EventSource', () => {
    const c = config();
    expect(c.cors.apiPath).toBe('/api/chat');
    expect(c.cors.requests.api).toMatchObject({ method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', Authorization: DUMMY_BEARER } });
    expect(c.cors.requests.health).toMatchObject({ method: 'GET', credentials: 'include', headers: {} });
    expect(c.cors.requests.stream).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(c.cors.requests.stream.path).toBeUndefined();
    expect(c.cors).toMatchObject({ probes: true, platforms: 'all', attackerDomain: 'evil.example' });
  });

  it.each([
    [{ cors: { apiPath: 'api/chat' } }, /cors\.apiPath \(from test\): expected a path starting with "\/"/],
    [{ cors: { platforms: ['example.com'] } }, /cors\.platforms/],
    [{ cors: { requests: { api: { credentials: 'always' } } } }, /cors\.requests\.api\.credentials/],
    [{ cors: { requests: { api: { mehtod: 'POST' } } } }, /cors\.requests\.api\.mehtod.*unknown key/],
    [{ cors: { attackerDomain: 'https://evil.example' } }, /cors\.attackerDomain/],
  ])('%j is a config error naming the field', (file, message) => {
    expect(() => config(file)).toThrow(message);
  });

  it('--api-path lands at cors.apiPath', () => {
    const c = config({}, [{ path: ['cors', 'apiPath'], value: '/v2/ask', source: 'flag --api-path' }]);
    expect(appCalls(c).api.url).toMatch(/\/v2\/ask$/);
  });
});

describe('appCalls: what the browser sends for requests 1-3', () => {
  it('the API call carries the dummy bearer unless the configured headers supply one (any case)', () => {
    expect(lower(appCalls(config()).api.headers).authorization).toBe(DUMMY_BEARER);
    const api = appCalls(config({ headers: { authorization: SECRET } })).api;
    expect(lower(api.headers).authorization).toBe(SECRET);
    expect(Object.keys(api.headers).filter((n) => n.toLowerCase() === 'authorization')).toHaveLength(1);
    expect(api).toMatchObject({ method: 'POST', target: 'gateway', body: '{"query":"zantara-audit CORS check"}' });
    expect(lower(api.headers)).toMatchObject({ origin: 'https://zantara.balizero.com', 'content-type': 'application/json' });
  });

  it('the credentialed GET goes to the gateway health path and carries the configured headers, without a body', () => {
    const health = appCalls(config({ headers: { 'X-Api-Key': 'k3y-value' }, targets: { gateway: { healthPath: '/healthz' } } })).health;
    expect(health.url).toBe('https://nuzantara-backend.fly.dev/healthz');
    expect(health.headers['X-Api-Key']).toBe('k3y-value');
    expect(health.body).toBeUndefined();
  });

  it('R-ES-3/R-ES-4: the EventSource sends no configured secret, adds no-cache, and needs no preflight', () => {
    const stream = appCalls(config({ headers: { Authorization: SECRET } })).stream;
    expect(stream.target).toBe('rag');
    expect(stream.url).toBe('https://nuzantara-rag.fly.dev/bali-zero/chat-stream?query=hello');
    // The stream section decides the URL unless cors.requests.stream.path says otherwise.
    expect(appCalls(config({ stream: { path: '/v2/stream', query: 'apa kabar' } })).stream.url).toBe('https://nuzantara-rag.fly.dev/v2/stream?query=apa+kabar');
    expect(appCalls(config({ cors: { requests: { stream: { path: '/sse?q=x' } } } })).stream.url).toBe('https://nuzantara-rag.fly.dev/sse?q=x');
    expect(lower(stream.headers)).toEqual({ accept: 'text/event-stream', origin: 'https://zantara.balizero.com', 'cache-control': 'no-cache', pragma: 'no-cache' });
    expect(preflightNeeded(stream.browser).needed).toBe(false);
  });

  it('readsHeaders reaches the browser model, so an unexposed header fails cors.headers.<name>', () => {
    const api = appCalls(config({ cors: { requests: { api: { readsHeaders: ['X-Request-Id'] } } } })).api;
    const answer = obs({
      method: 'POST',
      url: api.url,
      headers: [
        ['Access-Control-Allow-Origin', 'https://zantara.balizero.com'],
        ['Access-Control-Allow-Credentials', 'true'],
        ['X-Request-Id', '1'],
      ],
    });
    expect(judgeActual(answer, api.browser, 'api')[0]).toMatchObject({ id: 'cors.headers.api', status: 'fail', remedy: 'Access-Control-Expose-Headers: x-request-id' });
  });
});

describe('preflightPlan (fetch#cors-preflight-fetch-0 steps 1-5)', () => {
  it('OPTIONS with Origin, ACRM and sorted ACRH: never the configured token, never a cookie', () => {
    const plan = preflightPlan(appCalls(config({ headers: { Authorization: SECRET, Cookie: 'sid=abcd' } })).api);
    expect(plan.method).toBe('OPTIONS');
    expect(plan.headers).toEqual({
      Accept: '*/*',
      Origin: 'https://zantara.balizero.com',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type',
    });
    expect(plan.body).toBeUndefined();
  });
});

describe('errorPlans: requests that make each service answer an error (R-CHK-8)', () => {
  it('the API call without any Authorization (401), and an unknown path on each service (404)', () => {
    const c = config({ headers: { Authorization: SECRET } });
    const plans = errorPlans(c, appCalls(c));
    expect(plans.map((p) => [p.purpose, p.target, p.method])).toEqual([
      ['cors.error.unauthorized', 'gateway', 'POST'],
      ['cors.error.stream', 'rag', 'GET'],
      ['cors.error.not-found', 'gateway', 'GET'],
      ['cors.error.not-found', 'rag', 'GET'],
    ]);
    const [unauthorized, stream400, gw404, rag404] = plans;
    // The stream asked an empty question, as the EventSource would send it (the backend's 400).
    expect(new URL(stream400!.url).searchParams.get('query')).toBe('');
    expect(stream400!.browser.credentials).toBe('same-origin');
    expect(Object.keys(unauthorized!.headers).map((n) => n.toLowerCase())).not.toContain('authorization');
    expect(Object.keys(unauthorized!.browser.headers).map((n) => n.toLowerCase())).not.toContain('authorization');
    expect(gw404!.url).toBe(`https://nuzantara-backend.fly.dev${NOT_FOUND_PATH}`);
    expect(gw404!.browser.credentials).toBe('include');
    expect(rag404!.browser.credentials).toBe('same-origin');
    expect(JSON.stringify(rag404!.headers)).not.toContain(SECRET);
  });

  it('no 401 request when the app sends no Authorization at all (cookie sessions)', () => {
    const c = config({ cors: { requests: { api: { headers: { 'Content-Type': 'application/json' } } } } });
    expect(errorPlans(c, appCalls(c)).map((p) => p.purpose)).toEqual(['cors.error.stream', 'cors.error.not-found', 'cors.error.not-found']);
  });
});

describe('plannedProbes and probePlans', () => {
  it('38 origins by default; platforms and probes cut the list', () => {
    expect(plannedProbes(config())).toHaveLength(38);
    expect(plannedProbes(config({ cors: { platforms: [] } }))).toHaveLength(15);
    expect(plannedProbes(config({ cors: { platforms: ['vercel.app'] } })).map((p) => p.kind)).toContain('platform.vercel-app');
    expect(plannedProbes(config({ cors: { probes: false } }))).toEqual([]);
    expect(plannedProbes(config({ cors: { attackerDomain: 'attacker.test' } }))[0]?.origin).toBe('https://attacker.test');
  });

  it('each probe goes once without and once with dummy credentials, never with the configured secrets', () => {
    const c = config({ headers: { Authorization: SECRET, Cookie: 'sid=real-session' } });
    const probe = plannedProbes(c)[0]!;
    const [anon, cred] = probePlans(probe, appCalls(c).health);
    expect(anon.headers).toEqual({ Accept: '*/*', Origin: 'https://evil.example' });
    expect(cred.headers).toEqual({ Accept: '*/*', Origin: 'https://evil.example', ...PROBE_CREDENTIALS });
    expect([anon.browser.credentials, cred.browser.credentials]).toEqual(['omit', 'include']);
    expect(JSON.stringify([anon, cred])).not.toMatch(/s3cret|real-session/);
    expect(cred).toMatchObject({ method: 'GET', target: 'gateway', url: 'https://nuzantara-backend.fly.dev/health' });
  });
});

describe('fetchStreamProbePlan: the app fetch() stream from a hostile origin (browser.agreement)', () => {
  it("the app's method, body, header names and credentials mode, from the probe origin; placeholders for every secret, no cookie", () => {
    const c = config({ stream: { transport: 'fetch', headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'page-value' } } }, [
      { path: ['headers'], value: { Authorization: SECRET, 'X-Api-Key': 'k3y-secret', Cookie: 'session=user' }, source: 'flag --header', merge: true },
    ]);
    const probe = plannedProbes(c)[0];
    if (!probe) throw new Error('no probe planned');
    const plan = fetchStreamProbePlan(c, probe);
    expect(plan).toMatchObject({ method: 'POST', target: 'rag', purpose: `cors.probe.${probe.kind}.fetch-stream`, body: '{"query": "hello"}' });
    expect(plan.browser).toMatchObject({ origin: probe.origin, credentials: 'include' });
    expect(lower(plan.headers)).toMatchObject({
      origin: probe.origin,
      'content-type': 'application/json',
      authorization: 'Bearer zantara-audit-placeholder-token',
      'x-api-key': 'zantara-audit-placeholder',
    });
    expect(lower(plan.headers).cookie).toBeUndefined();
    expect(JSON.stringify(plan)).not.toMatch(/s3cret|k3y-secret|session=user/);
    // The same header names as the app's call: the preflight asks what the app's own preflight asks.
    expect(preflightPlan(plan).headers['Access-Control-Request-Headers']).toBe('authorization,content-type,x-api-key');
  });
});

describe('helpers', () => {
  it('mergeHeaders replaces by name case-insensitively, keeping the later spelling', () => {
    expect(mergeHeaders({ Authorization: 'a', Accept: 'x' }, { authorization: 'b' })).toEqual({ authorization: 'b', Accept: 'x' });
  });

  it('mapLimit keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(peak).toBe(3);
  });
});
