/**
 * `stream --transport fetch`: the answer stream as the app's fetch() reads it (POST, JSON body,
 * bearer token, credentials include), in SSE and NDJSON framing, against the reference server's
 * POST route. Every stream fault must fail the same sse.* id in both framings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configArgs, FAST, findingsOf, notPassing, runCli, runJson, statusOf } from '../helpers/cli.js';
import { expectTripped, faultCases } from '../helpers/stream-faults.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-stream-fetch-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (name: string, stream: object) => configArgs(dir, name, { stream });
const TOKEN = 'Bearer stream-fetch-test-secret-4711';

describe.each(['sse', 'ndjson'] as const)('stream --local --transport fetch --stream-format %s', (format) => {
  const fetchArgs = ['--transport', 'fetch', '--stream-format', format, ...FAST];

  it('passes on the clean reference server; the token is sent and redacted; no reconnect or replay (skip with the reason)', async () => {
    const { result, report } = await runJson(['stream', '--local', ...fetchArgs, '--header', `Authorization: ${TOKEN}`, '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(notPassing(report)).toEqual([]);
    for (const id of ['sse.status', 'sse.content-type', 'sse.done', 'sse.protocol', 'sse.cors', 'sse.empty-query', 'sse.disconnect.cleanup'])
      expect(statusOf(report, id), id).toEqual(['pass']);
    expect(findingsOf(report).find((f) => f.id === 'sse.reconnect')?.observed).toMatch(/fetch\(\) does not reconnect/);
    expect(findingsOf(report).find((f) => f.id === 'sse.reconnect-after-done')?.observed).toMatch(/never repeats a request/);
    expect(findingsOf(report).find((f) => f.id === 'sse.protocol')?.evidence).toMatchObject({ counts: { metadata: 1, token: 61, sources: 1, done: 1 } });
    expect(findingsOf(report).find((f) => f.id === 'sse.empty-query')?.evidence).toMatchObject({ request: expect.stringMatching(/^POST /), status: 400 });
    expect(result.stdout).not.toContain('stream-fetch-test-secret');
  });

  it.each(faultCases('fetch', dir))('%s → %s %s, exit %i', async (fault, id, status, code, allowed, extra) => {
    const skipDisconnect = id === 'sse.disconnect.cleanup' ? [] : ['--skip', 'sse.disconnect'];
    const run = await runJson(['stream', '--local', ...fetchArgs, '--fault', fault, '--no-log', ...skipDisconnect, ...extra]);
    expectTripped(run, id, status, code, allowed);
  });
});

describe('what only a fetch() stream has', () => {
  it('the RAG answers 401 to a POST without a token: sse.status fails and says how to give one', async () => {
    const file = config('no-token', { transport: 'fetch', headers: { 'Content-Type': 'application/json' } });
    const { result, report } = await runJson(['stream', '--local', ...file, '--no-log', '--skip', 'sse.disconnect']);
    const status = findingsOf(report).find((f) => f.id === 'sse.status');
    expect(status).toMatchObject({ status: 'fail', observed: expect.stringMatching(/^401/) });
    expect(status?.remedy).toMatch(/--header "Authorization: Bearer/);
    expect(result.code).toBe(1);
  });

  it('a response header the app reads but CORS does not expose fails sse.cors (R-EXP-1)', async () => {
    const file = config('expose', { transport: 'fetch', exposeHeaders: ['x-request-id'] });
    const { report } = await runJson(['stream', '--local', ...file, '--no-log', '--skip', 'sse.disconnect']);
    const cors = findingsOf(report).find((f) => f.id === 'sse.cors');
    expect(cors).toMatchObject({ status: 'fail', observed: expect.stringMatching(/reads x-request-id, which the page cannot see/) });
    expect(cors?.remedy).toMatch(/Access-Control-Expose-Headers: x-request-id/);
  });

  it('an OpenAI-style body template and data: [DONE] sentinel are config, not code', async () => {
    const file = config('openai', {
      transport: 'fetch',
      body: '{"model": "reference", "stream": true, "query": "{{query}}"}',
      done: ['data:[DONE]', 'json:type=done'],
      credentials: 'omit',
    });
    const { result, report } = await runJson(['stream', '--local', ...file, '--no-log', '--skip', 'sse.disconnect']);
    expect(result.code, result.stderr).toBe(0);
    expect(findingsOf(report).find((f) => f.id === 'sse.cors')?.title).toMatch(/credentials: 'omit'/);
  });

  it.each([
    ['a body that is not JSON after substitution', { transport: 'fetch', body: '{"query": {{query}}}' }, /stream\.body .*not valid JSON after substitution/],
    ['GET with a body', { transport: 'fetch', method: 'GET', body: '{}' }, /stream\.body .*GET request cannot have a body/],
    ['eventsource with headers', { headers: { Authorization: 'Bearer x' } }, /stream\.headers: EventSource cannot send author headers/],
  ])('%s: exit 2 naming the field, nothing sent', async (_, stream, message) => {
    const result = await runCli(['stream', '--local', ...config(`bad-${Math.random().toString(36).slice(2)}`, stream), '--no-log']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
