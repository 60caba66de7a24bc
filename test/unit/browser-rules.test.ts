import { describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, chromiumArgs, resolveChromium } from '../../src/checks/browser/chromium.js';
import { classifyFetch, classifyStreamStart } from '../../src/checks/browser/classify.js';
import { judgeBrowser } from '../../src/checks/browser/rules.js';
import type { BrowserObservation, ConsoleEntry, FetchOutcome, OriginRun, PageOutcome, StreamOutcome } from '../../src/checks/browser/types.js';

const GW = 'http://127.0.0.1:4000';
const RAG = 'http://127.0.0.1:5000';
const ORIGIN = 'https://zantara.balizero.com';
const FOREIGN = 'https://evil.example';
const exp = { origin: ORIGIN, foreignOrigin: FOREIGN, apiPath: '/api/chat' };

// Console lines as Chromium 156 writes them (recorded against the reference server's faults).
const blocked = (url: string, from: string, reason: string): ConsoleEntry => ({
  type: 'error',
  text: `Access to fetch at '${url}' from origin '${from}' has been blocked by CORS policy: ${reason}`,
  url: `${from}/`,
});
const PREFLIGHT_NOT_OK = "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.";
const NO_ACAO = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

const readable = (method: string, url: string, status = 200): FetchOutcome => ({ method, url, readable: true, status, bodySnippet: '{}', timedOut: false, ms: 5 });
const failed = (method: string, url: string, timedOut = false): FetchOutcome => ({ method, url, readable: false, error: 'TypeError: Failed to fetch', timedOut, ms: 5 });
const done: StreamOutcome = {
  url: `${RAG}/bali-zero/chat-stream?query=hello`,
  opened: true,
  events: 3,
  kinds: { metadata: 1, token: 1, done: 1 },
  doneSeen: true,
  end: 'done',
  readyState: 1,
  ms: 80,
};
const calls = (over: Partial<PageOutcome> = {}): PageOutcome => ({ post: readable('POST', `${GW}/api/chat`), get: readable('GET', `${GW}/health`), stream: done, ...over });
const foreignBlocked: OriginRun = {
  role: 'foreign',
  origin: FOREIGN,
  calls: calls({ post: failed('POST', `${GW}/api/chat`), get: failed('GET', `${GW}/health`) }),
  console: [blocked(`${GW}/api/chat`, FOREIGN, `Response to preflight request doesn't pass access control check: ${NO_ACAO}`), blocked(`${GW}/health`, FOREIGN, NO_ACAO)],
};
const obs = (app: Partial<OriginRun>, foreign: OriginRun = foreignBlocked): BrowserObservation => ({
  kind: 'browser',
  browser: { executablePath: '/usr/bin/chromium', version: '156', args: [] },
  app: { role: 'app', origin: ORIGIN, calls: calls(), console: [], ...app },
  foreign,
});
const status = (o: BrowserObservation) => Object.fromEntries(judgeBrowser(o, exp).map((f) => [f.id, f.status]));

describe('classify: the console tells a CORS block from a network error (Fetch #cors-check)', () => {
  it('a preflight block names the preflight', () => {
    const out = failed('POST', `${GW}/api/chat`);
    expect(classifyFetch(out, [blocked(out.url, ORIGIN, PREFLIGHT_NOT_OK)])).toMatchObject({ kind: 'cors', preflight: true });
  });
  it('a block on the actual response is not a preflight block', () => {
    const out = failed('GET', `${GW}/health`);
    expect(classifyFetch(out, [blocked(out.url, ORIGIN, NO_ACAO)])).toMatchObject({ kind: 'cors', preflight: false });
  });
  it('a message about another URL is not evidence', () => {
    const out = failed('GET', `${GW}/health`);
    expect(classifyFetch(out, [blocked(`${GW}/api/chat`, ORIGIN, NO_ACAO)]).kind).toBe('unexplained');
  });
  it('net::ERR_CONNECTION_REFUSED is unreachable; our own deadline is a timeout', () => {
    const out = failed('GET', `${GW}/health`);
    expect(classifyFetch(out, [{ type: 'error', text: 'Failed to load resource: net::ERR_CONNECTION_REFUSED', url: out.url }])).toEqual({
      kind: 'network',
      code: 'ERR_CONNECTION_REFUSED',
      unreachable: true,
    });
    expect(classifyFetch(failed('GET', out.url, true), [{ type: 'error', text: 'Failed to load resource: net::ERR_ABORTED', url: out.url }]).kind).toBe('timeout');
  });
  it('EventSource refused by the response gate (HTML §9.2.2: wrong MIME type)', () => {
    const text = 'EventSource\'s response has a MIME type ("application/json") that is not "text/event-stream". Aborting the connection.';
    expect(classifyStreamStart({ ...done, opened: false, doneSeen: false, events: 0, end: 'error', readyState: 2 }, [{ type: 'error', text }])).toMatchObject({ kind: 'rejected' });
  });
});

describe('judgeBrowser', () => {
  it('clean: all four pass', () => {
    expect(status(obs({}))).toEqual({ 'browser.preflight': 'pass', 'browser.fetch': 'pass', 'browser.eventsource': 'pass', 'browser.foreign-origin': 'pass' });
  });

  it('preflight blocked: preflight and fetch fail, the POST is reported as never sent', () => {
    const o = obs({ calls: calls({ post: failed('POST', `${GW}/api/chat`) }), console: [blocked(`${GW}/api/chat`, ORIGIN, PREFLIGHT_NOT_OK)] });
    const findings = judgeBrowser(o, exp);
    expect(status(o)).toMatchObject({ 'browser.preflight': 'fail', 'browser.fetch': 'fail', 'browser.eventsource': 'pass' });
    expect(findings.find((f) => f.id === 'browser.fetch')?.observed).toMatch(/never sent, its preflight was blocked/);
  });

  it('actual response blocked after a passing preflight: preflight pass, fetch fail', () => {
    const o = obs({ calls: calls({ post: failed('POST', `${GW}/api/chat`) }), console: [blocked(`${GW}/api/chat`, ORIGIN, NO_ACAO)] });
    expect(status(o)).toMatchObject({ 'browser.preflight': 'pass', 'browser.fetch': 'fail' });
  });

  it('a foreign origin that reads a credentialed response fails as critical', () => {
    const leak: OriginRun = { role: 'foreign', origin: FOREIGN, calls: calls(), console: [] };
    const f = judgeBrowser(obs({}, leak), exp).find((x) => x.id === 'browser.foreign-origin');
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f?.observed).toMatch(/POST \/api\/chat: readable \(200\); GET \/health: readable \(200\)/);
  });

  it.each<[string, Partial<StreamOutcome>, RegExp]>([
    ['ended without done (would reconnect)', { doneSeen: false, end: 'error', readyState: 0 }, /without done: EventSource would reconnect/],
    ['no done before the deadline', { doneSeen: false, end: 'timeout' }, /no done within/],
    ['an endless stream stopped at the cap', { doneSeen: false, end: 'cap', events: 10_000 }, /still no done/],
  ])('EventSource %s: fail (docs/browser-rules.md D-1)', (_name, over, observed) => {
    const f = judgeBrowser(obs({ calls: calls({ stream: { ...done, ...over } }) }), exp).find((x) => x.id === 'browser.eventsource');
    expect(f).toMatchObject({ status: 'fail', target: 'rag' });
    expect(f?.observed).toMatch(observed);
  });

  it('a page that never ran: browser.page fails and the calls skip (never pass)', () => {
    const findings = judgeBrowser(obs({ calls: undefined, error: 'page.goto: net::ERR_CERT_AUTHORITY_INVALID' }), exp);
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['browser.page', 'fail'],
      ['browser.preflight', 'skip'],
      ['browser.fetch', 'skip'],
      ['browser.eventsource', 'skip'],
      ['browser.foreign-origin', 'pass'],
    ]);
  });
});

describe('Chromium launch plan', () => {
  it('exactly the agreed switches, a profile dir, and mappings for the impersonated names only (never MAP *)', () => {
    const args = chromiumArgs({
      executablePath: '/usr/bin/chromium',
      profileDir: '/tmp/p',
      hostMap: [
        ['zantara.balizero.com', 4443],
        ['evil.example', 4443],
      ],
      spkiSha256: 'abc=',
      timeoutMs: 1,
    });
    expect(args).toEqual([
      ...CHROMIUM_FLAGS,
      '--user-data-dir=/tmp/p',
      '--host-resolver-rules=MAP zantara.balizero.com 127.0.0.1:4443, MAP evil.example 127.0.0.1:4443',
      '--ignore-certificate-errors-spki-list=abc=',
    ]);
  });

  it('--browser-path, then CHROME_PATH, then /usr/bin/chromium; a missing one names the install command', () => {
    expect(resolveChromium(process.execPath, {})).toBe(process.execPath);
    expect(resolveChromium(undefined, { CHROME_PATH: process.execPath })).toBe(process.execPath);
    expect(() => resolveChromium('/nonexistent', { CHROME_PATH: process.execPath })).toThrow(/--browser-path \/nonexistent: no executable there .*apt-get install chromium/);
  });
});
