/** The stream rules on a fetch() observation, from fixtures: NDJSON framing findings and what differs from EventSource. */
import { describe, expect, it } from 'vitest';
import { streamSection } from '../../src/checks/stream/config.js';
import { judgeStream, type StreamObservation } from '../../src/checks/stream/rules.js';
import { createNdjsonReader } from '../../src/sse/ndjson-reader.js';
import { createStreamReader } from '../../src/sse/reader.js';

const CFG = streamSection.parse({});
const line = (type: string, data: unknown = null) => `${JSON.stringify({ type, data })}\n`;
const ANSWER = [line('metadata', {}), line('token', 'Bali '), line('token', 'Zero'), line('done')];

function obs(body: string[], o: { format?: 'sse' | 'ndjson'; contentType?: string; status?: number; maxLineBytes?: number } = {}): StreamObservation {
  const format = o.format ?? 'ndjson';
  const reader = (format === 'ndjson' ? createNdjsonReader : createStreamReader)({ maxBytes: 1e6, maxEvents: 1e4, maxLineBytes: o.maxLineBytes ?? 1e5 });
  body.forEach((text, i) => reader.push(new TextEncoder().encode(text), 10 + i * 20));
  const headers = { 'content-type': o.contentType ?? (format === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream') };
  return {
    kind: 'stream',
    purpose: 'sse.stream',
    target: 'rag',
    transport: 'fetch',
    format,
    credentials: 'include',
    request: { method: 'POST', url: 'http://127.0.0.1:1/bali-zero/chat-stream', headers: {} },
    response: { status: o.status ?? 200, headers, rawHeaders: Object.entries(headers) },
    record: reader.end('closed', 10 + body.length * 20 + 5),
    unreachable: false,
    timings: { startedAt: '2026-01-01T00:00:00.000Z', ttfbMs: 5, totalMs: 100 },
    attempts: 1,
  };
}
const statusOf = (o: StreamObservation, id: string, exp = CFG) => judgeStream(o, exp).find((f) => f.id === id);

describe('NDJSON over fetch(): each line one message', () => {
  it('a clean answer passes sse.done and sse.protocol; reconnect is skip (fetch() never reconnects)', () => {
    const o = obs(ANSWER);
    expect(statusOf(o, 'sse.done')?.status).toBe('pass');
    expect(statusOf(o, 'sse.protocol')?.status).toBe('pass');
    expect(statusOf(o, 'sse.reconnect')).toMatchObject({ status: 'skip', observed: expect.stringMatching(/does not reconnect/) });
  });

  it('a line that is not JSON fails sse.protocol, quoting the line', () => {
    const f = statusOf(obs([ANSWER[0] as string, "{'type': 'token'}\n", ANSWER[3] as string]), 'sse.protocol');
    expect(f).toMatchObject({ status: 'fail', observed: expect.stringMatching(/^line #1 at byte \d+ is not JSON/) });
  });

  it('done on a partial last line (no "\\n") fails sse.done: a split-on-newline reader drops it', () => {
    const o = obs([...ANSWER.slice(0, 3), '{"type":"done","data":null}']);
    expect(statusOf(o, 'sse.done')).toMatchObject({ status: 'fail', title: expect.stringMatching(/without the "\\n" that ends its line/) });
  });

  it('another partial last line warns in sse.protocol', () => {
    const o = obs([...ANSWER, '{"type":"token"']);
    expect(statusOf(o, 'sse.protocol')).toMatchObject({ status: 'warn', observed: expect.stringMatching(/^a partial last line \(no "\\n"\) at end of stream/) });
    expect(statusOf(obs(ANSWER), 'sse.protocol')?.status).toBe('pass');
  });

  it('a line over the cap fails sse.protocol and sse.done (cap-line)', () => {
    const o = obs([ANSWER[0] as string, line('token', 'x'.repeat(200)), ANSWER[3] as string], { maxLineBytes: 100 });
    expect(statusOf(o, 'sse.protocol')).toMatchObject({ status: 'fail', observed: expect.stringMatching(/longer than stream\.caps\.maxLineBytes/) });
    expect(statusOf(o, 'sse.done')?.status).toBe('fail');
  });

  it('json:done=true matches Ollama\'s {"done": true}', () => {
    const exp = streamSection.parse({ done: ['json:done=true'], messageTypes: ['?'] });
    const o = obs(['{"message":{"content":"Bali"},"done":false}\n', '{"done":true}\n']);
    expect(statusOf(o, 'sse.done', exp)?.status).toBe('pass');
    expect(statusOf(obs(['{"message":{"content":"Bali"},"done":false}\n']), 'sse.done', exp)?.status).toBe('fail');
  });
});

describe("fetch(): the reader reads any 200, sse.content-type judges the framing's type", () => {
  it.each([
    ['ndjson', 'application/x-ndjson', 'pass'],
    ['ndjson', 'application/jsonl; charset=utf-8', 'pass'],
    ['ndjson', 'text/plain', 'fail'],
    ['ndjson', 'text/event-stream', 'fail'],
    ['sse', 'text/event-stream', 'pass'],
    ['sse', 'text/plain', 'fail'],
  ] as const)('%s as %s → %s, and the body is still judged', (format, contentType, status) => {
    const body = format === 'ndjson' ? ANSWER : ['data: {"type":"token","data":"a"}\n\n', 'data: {"type":"done"}\n\n'];
    const o = obs(body, { format, contentType });
    expect(statusOf(o, 'sse.content-type')?.status).toBe(status);
    expect(statusOf(o, 'sse.done')?.status).toBe('pass');
  });

  it('a 401 is not read: body checks skip saying response.ok is false; sse.status names the token', () => {
    const o = obs([], { status: 401, contentType: 'application/json' });
    expect(statusOf(o, 'sse.done')).toMatchObject({ status: 'skip', observed: expect.stringMatching(/response\.ok false/) });
    expect(statusOf(o, 'sse.status')?.remedy).toMatch(/--header "Authorization: Bearer/);
  });
});
