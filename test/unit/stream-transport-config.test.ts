import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamCall } from '../../src/checks/stream-call.js';
import { bodyTemplateProblem, renderBody } from '../../src/config/body-template.js';
import { configSchema } from '../../src/checks/config.js';
import { loadConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-transport-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function load(content: object, headers: Record<string, string> = {}) {
  const file = join(dir, `c${++n}.json`);
  writeFileSync(file, JSON.stringify(content));
  return loadConfig(configSchema, {
    cwd: dir,
    env: {},
    configFile: file,
    overrides: Object.keys(headers).length ? [{ path: ['headers'], value: headers, source: 'flag --header', merge: true }] : [],
  }).config;
}
function configError(content: object): string {
  try {
    load(content);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return (err as UsageError).message;
  }
  throw new Error('expected a config error');
}

describe('stream.body template', () => {
  it('substitutes the query JSON-escaped, inside the quotes', () => {
    const body = renderBody('{"query": "{{query}}", "stream": true}', 'say "hi"\n\\ now');
    expect(JSON.parse(body)).toEqual({ query: 'say "hi"\n\\ now', stream: true });
  });

  it.each([
    ['placeholder outside quotes', '{"query": {{query}}}'],
    ['trailing comma', '{"query": "{{query}}",}'],
    ['not JSON at all', 'query={{query}}'],
  ])('%s is a problem', (_, template) => {
    expect(bodyTemplateProblem(template, ['hello', ''])).toMatch(/not valid JSON after substitution/);
  });

  it('a valid template has no problem, with any question', () => {
    expect(bodyTemplateProblem('{"messages": [{"role": "user", "content": "{{query}}"}], "stream": true}', ['hello', ''])).toBeUndefined();
  });
});

describe('stream transport config errors (exit 2, naming the field)', () => {
  it.each([
    ['a body template that is not JSON after substitution', { transport: 'fetch', body: '{"q": {{query}}}' }, /stream\.body\b.*not valid JSON after substitution/],
    ['GET with a body', { transport: 'fetch', method: 'GET', body: '{"q": "{{query}}"}' }, /stream\.body\b.*a GET request cannot have a body/],
    ['eventsource with headers', { headers: { Authorization: 'Bearer x' } }, /stream\.headers\b.*EventSource cannot send author headers/],
    ['eventsource with a method', { method: 'POST' }, /stream\.method\b.*EventSource always sends GET/],
    ['eventsource with a body', { body: '{}' }, /stream\.body\b.*EventSource sends no body/],
    ['eventsource with ndjson', { format: 'ndjson' }, /stream\.format\b.*NDJSON needs stream\.transport "fetch"/],
    ['eventsource with exposeHeaders', { exposeHeaders: ['x-request-id'] }, /stream\.exposeHeaders\b.*EventSource exposes no response headers/],
    ['fetch with withCredentials', { transport: 'fetch', withCredentials: true }, /stream\.withCredentials\b.*set stream\.credentials/],
    ['an unknown transport', { transport: 'websocket' }, /stream\.transport/],
    ['an unknown credentials mode', { transport: 'fetch', credentials: 'always' }, /stream\.credentials/],
  ])('%s', (_, stream, message) => {
    expect(configError({ stream })).toMatch(message);
  });
});

describe('cors.requests.stream (the EventSource call) under stream.transport fetch: refused, naming the field that describes the fetch() call', () => {
  it.each([
    ['path', { path: '/v2/stream' }, 'stream.path'],
    ['method', { method: 'POST' }, 'stream.method'],
    ['headers', { headers: { Authorization: 'Bearer x' } }, 'stream.headers'],
    ['credentials', { credentials: 'include' }, 'stream.credentials'],
    ['readsHeaders', { readsHeaders: ['x-request-id'] }, 'stream.exposeHeaders'],
    ['body', { body: '{}' }, 'stream.body'],
  ])('%s', (field, set, instead) => {
    const message = configError({ stream: { transport: 'fetch' }, cors: { requests: { stream: set } } });
    expect(message).toMatch(
      new RegExp(
        `^config error: cors\\.requests\\.stream\\.${field}( \\(from file [^)]+\\))?: describes the EventSource call, which stream\\.transport "fetch" does not make; set ${instead.replace('.', '\\.')} instead`,
      ),
    );
    expect(message).not.toContain('\n');
  });

  it('accepted with EventSource, and under fetch when left at (or set to) its defaults', () => {
    expect(load({ cors: { requests: { stream: { path: '/v2/stream', credentials: 'include' } } } }).cors.requests.stream.path).toBe('/v2/stream');
    expect(load({ stream: { transport: 'fetch' } }).stream.transport).toBe('fetch');
    expect(load({ stream: { transport: 'fetch' }, cors: { requests: { stream: { method: 'GET', headers: { Accept: 'text/event-stream' } } } } }).stream.transport).toBe('fetch');
  });
});

describe('the stream call a config describes', () => {
  it('eventsource: GET with the query in the URL, no author headers, same-origin credentials', () => {
    const call = streamCall(load({}), 'hello');
    expect(call).toMatchObject({ transport: 'eventsource', format: 'sse', method: 'GET', headers: {}, credentials: 'same-origin', exposeHeaders: [] });
    expect(call.url).toBe('https://nuzantara-rag.fly.dev/bali-zero/chat-stream?query=hello');
    expect(call.body).toBeUndefined();
  });

  it('fetch defaults: POST, JSON body with the query, the configured token sent, credentials include', () => {
    const call = streamCall(load({ stream: { transport: 'fetch' } }, { Authorization: 'Bearer secret' }), 'a "b"');
    expect(call).toMatchObject({ transport: 'fetch', format: 'sse', method: 'POST', credentials: 'include', url: 'https://nuzantara-rag.fly.dev/bali-zero/chat-stream' });
    expect(JSON.parse(call.body ?? '')).toEqual({ query: 'a "b"' });
    expect(call.headers).toEqual({ Accept: 'text/event-stream', 'Content-Type': 'application/json', Authorization: 'Bearer secret' });
    expect(streamCall(load({ stream: { transport: 'fetch' } }), 'q').headers.Authorization).toBe('Bearer zantara-audit-placeholder-token');
  });

  it('fetch ndjson, GET without body: the query goes in the URL, Accept names NDJSON', () => {
    const call = streamCall(load({ stream: { transport: 'fetch', method: 'get', format: 'ndjson', credentials: 'omit' } }), 'hi');
    expect(call).toMatchObject({ method: 'GET', format: 'ndjson', credentials: 'omit', headers: { Accept: 'application/x-ndjson' } });
    expect(call.headers['Content-Type']).toBeUndefined();
    expect(call.url).toMatch(/\?query=hi$/);
    expect(call.body).toBeUndefined();
  });

  it("fetch with the page's own headers: taken as written, the token replaces a same-named one", () => {
    const call = streamCall(
      load(
        { stream: { transport: 'fetch', headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' }, exposeHeaders: ['x-request-id'] } },
        { Authorization: 'Bearer real' },
      ),
      'q',
    );
    expect(call.headers).toEqual({ 'content-type': 'application/json', Authorization: 'Bearer real' });
    expect(call.exposeHeaders).toEqual(['x-request-id']);
  });
});
