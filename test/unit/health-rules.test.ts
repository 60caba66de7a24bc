import { describe, expect, it } from 'vitest';
import { httpObservation } from '../helpers/observations.js';
import { targetUrl } from '../../src/checks/target.js';
import { judgeHealth, type HealthExpectation } from '../../src/checks/health/rules.js';
import { configSchema } from '../../src/checks/config.js';
import type { Finding } from '../../src/core/finding.js';
import type { HttpObservation, RawHeaders, TransportError } from '../../src/http/types.js';

const ORIGIN = 'https://zantara.balizero.com';
const EXP: HealthExpectation = { origin: ORIGIN, latencyWarnMs: 1000 };
const URL_ = 'http://127.0.0.1:8080/health';
const GOOD_BODY = '{"status":"healthy","version":"1.2.3","uptime":12}';
const ACAO: RawHeaders = [['Access-Control-Allow-Origin', ORIGIN]];

interface Fixture {
  status?: number;
  body?: string;
  headers?: RawHeaders;
  totalMs?: number;
  error?: TransportError;
  unreachable?: boolean;
}

/** An observation of `GET /health`, as the probe records it. */
function obs(f: Fixture = {}): HttpObservation {
  return httpObservation({
    ...f,
    purpose: 'health',
    url: URL_,
    requestHeaders: { origin: ORIGIN },
    headers: f.headers ?? [['Content-Type', 'application/json'], ...ACAO],
    body: f.body ?? GOOD_BODY,
    totalMs: f.totalMs ?? 12,
  });
}

const statuses = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.id, f.status]));
const get = (findings: Finding[], id: string) => findings.find((f) => f.id === id) as Finding;

describe('judgeHealth (GET <target>/health)', () => {
  it('200 with the contract JSON, fast, with the origin allowed: every finding passes', () => {
    const findings = judgeHealth(obs(), EXP);
    expect(statuses(findings)).toEqual({ 'health.status': 'pass', 'health.body': 'pass', 'health.latency': 'pass', 'health.cors': 'pass' });
    expect(findings.every((f) => f.target === 'gateway')).toBe(true);
  });

  it('"ok" is accepted as well as "healthy", uptime is optional and extra fields are allowed', () => {
    expect(get(judgeHealth(obs({ body: '{"status":"ok","version":"2","db":"up"}' }), EXP), 'health.body').status).toBe('pass');
  });

  it('503: health.status fails with the body quoted; the body is not judged', () => {
    const findings = judgeHealth(obs({ status: 503, body: '{"status":"unhealthy"}' }), EXP);
    expect(get(findings, 'health.status')).toMatchObject({
      status: 'fail',
      expected: '200',
      observed: '503: {"status":"unhealthy"}',
      remedy: `make ${URL_} answer 200 when the service is healthy`,
    });
    expect(get(findings, 'health.body')).toMatchObject({ status: 'skip', observed: 'not judged: health answered 503' });
  });

  it('a body that is not JSON fails health.body', () => {
    const f = get(judgeHealth(obs({ body: '{"status": "healthy", "version": ' }), EXP), 'health.body');
    expect(f).toMatchObject({ status: 'fail', observed: 'not JSON: "{\\"status\\": \\"healthy\\", \\"version\\": "' });
    expect(f.remedy).toMatch(/application\/json/);
  });

  it.each([
    ['status', '{"status":"degraded","version":"1"}', /^status: expected "healthy" or "ok"/],
    ['version (missing)', '{"status":"ok"}', /^version: /],
    ['version (a number)', '{"status":"ok","version":1}', /^version: .*expected string/],
    ['uptime (negative)', '{"status":"ok","version":"1","uptime":-1}', /^uptime: /],
    ['the body itself (an array)', '[]', /^\(body\): /],
  ])('a schema mismatch fails naming the field: %s', (_, body, observed) => {
    const f = get(judgeHealth(obs({ body }), EXP), 'health.body');
    expect(f.status).toBe('fail');
    expect(f.observed).toMatch(observed);
  });

  it.each([
    [12, 'pass'],
    [1000, 'pass'],
    [1001, 'warn'],
    [1500, 'warn'],
  ] as const)('latency %i ms against a 1000 ms threshold → %s', (totalMs, status) => {
    const f = get(judgeHealth(obs({ totalMs }), EXP), 'health.latency');
    expect(f.status).toBe(status);
    expect(f.observed).toMatch(new RegExp(`^${totalMs} ms \\(first byte \\d+ ms\\)$`));
    if (status === 'warn') expect(f.remedy).toBeTruthy();
  });

  it.each([
    ['missing', [], 'fail', 'no Access-Control-Allow-Origin header'],
    ['duplicated (same value twice)', [...ACAO, ...ACAO], 'fail', `Access-Control-Allow-Origin: ${ORIGIN} + Access-Control-Allow-Origin: ${ORIGIN}`],
    ['another origin', [['Access-Control-Allow-Origin', 'https://evil.example']], 'fail', 'Access-Control-Allow-Origin: https://evil.example'],
    ['the origin with a trailing slash', [['access-control-allow-origin', `${ORIGIN}/`]], 'fail', `Access-Control-Allow-Origin: ${ORIGIN}/`],
    ['*', [['access-control-allow-origin', '*']], 'pass', 'Access-Control-Allow-Origin: *'],
    ['the origin, header name in lower case', [['access-control-allow-origin', ORIGIN]], 'pass', `Access-Control-Allow-Origin: ${ORIGIN}`],
  ] as Array<[string, RawHeaders, string, string]>)('Access-Control-Allow-Origin %s → health.cors %s', (_, headers, status, observed) => {
    const f = get(judgeHealth(obs({ headers }), EXP), 'health.cors');
    expect(f).toMatchObject({ status, observed, expected: `Access-Control-Allow-Origin: ${ORIGIN}` });
    expect(f.evidence).toMatchObject({ rule: 'fetch#cors-check' });
  });

  it('a transport error: one failed finding, flagged unreachable, with the plain message', () => {
    const findings = judgeHealth(obs({ error: { code: 'refused', message: 'connection refused at 127.0.0.1:8080 — is the service running?' } }), EXP);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'health.status',
      status: 'fail',
      unreachable: true,
      title: 'gateway health: request failed',
      observed: 'gateway: connection refused at 127.0.0.1:8080 — is the service running?',
      evidence: { request: `GET ${URL_}` },
    });
  });

  it('a timeout says so in the title', () => {
    const [f] = judgeHealth(obs({ error: { code: 'timeout', message: 'no answer from 127.0.0.1:8080 within 10 ms' } }), EXP);
    expect(f).toMatchObject({ status: 'fail', title: 'gateway health: no answer in time', unreachable: true });
  });

  it('a request we aborted (Ctrl-C) is skipped, not blamed on the target', () => {
    const [f] = judgeHealth(obs({ error: { code: 'aborted', message: 'request to 127.0.0.1:8080 aborted' }, unreachable: false }), EXP);
    expect(f).toMatchObject({ id: 'health.status', status: 'skip' });
    expect(f?.unreachable).toBeUndefined();
  });
});

describe('targetUrl: base URL + configured path', () => {
  const url = (base: string, path: string) => targetUrl(configSchema.parse({ targets: { gateway: { url: base } } }), 'gateway', path);

  it.each([
    ['http://127.0.0.1:8080', '/health', 'http://127.0.0.1:8080/health'],
    ['http://127.0.0.1:8080/', '/health', 'http://127.0.0.1:8080/health'],
    ['https://api.example.com/v1/', '/health', 'https://api.example.com/v1/health'],
    ['https://api.example.com/?token=s3cr3t', '/health', 'https://api.example.com/health?token=s3cr3t'],
    ['https://api.example.com/v1?token=a%20b', '/metrics?format=text', 'https://api.example.com/v1/metrics?token=a%20b&format=text'],
  ])('%s + %s → %s', (base, path, expected) => {
    expect(url(base, path)).toBe(expected);
  });
});
