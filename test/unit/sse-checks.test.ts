import { describe, expect, it } from 'vitest';
import { streamSection } from '../../src/checks/stream/config.js';
import { judgeStreamCors } from '../../src/checks/stream/cors.js';
import { judgeDisconnect, type DisconnectObservation } from '../../src/checks/stream/disconnect.js';
import { judgeEmptyQuery } from '../../src/checks/stream/empty-query.js';
import { judgeReplay, replayHeaders } from '../../src/checks/stream/replay.js';
import { createContext, judgeBuffering, type StreamObservation } from '../../src/checks/stream/rules.js';
import type { GaugeSample } from '../../src/checks/stream/gauge.js';
import { streamObservation } from '../helpers/observations.js';
import type { StreamEnd } from '../../src/sse/types.js';
import type { StreamCall } from '../../src/checks/stream-call.js';

const CFG = streamSection.parse({});
const ORIGIN = 'https://zantara.balizero.com';
const msg = (id: number, type: string, data: unknown = null) => `id: ${id}\ndata: ${JSON.stringify({ type, data })}\n\n`;
const ANSWER = [msg(1, 'metadata', {}), msg(2, 'token', 'Bali '), msg(3, 'token', 'Zero'), msg(4, 'done')];

function obs(
  o: { status?: number; headers?: Record<string, string>; chunks?: Array<[number, string]>; end?: StreamEnd; excerpt?: string; raw?: Array<[string, string]> } = {},
): StreamObservation {
  return streamObservation({ ...o, closeAfterMs: 5, totalMs: 100, ttfbMs: 5, requestHeaders: { origin: ORIGIN } });
}

/** `new EventSource(url, {withCredentials})` as a stream call. */
const esCall = (withCredentials: boolean): StreamCall => ({
  transport: 'eventsource',
  format: 'sse',
  method: 'GET',
  url: 'http://127.0.0.1:1/bali-zero/chat-stream?query=hello',
  headers: {},
  credentials: withCredentials ? 'include' : 'same-origin',
  exposeHeaders: [],
});

const answered = (chunks = ANSWER.map((t, i): [number, string] => [10 + i * 20, t])) => obs({ chunks });

describe("sse.cors: the stream response passes the Fetch CORS check with EventSource's credentials mode (HTML §9.2.2)", () => {
  it.each([
    ['exact origin, withCredentials false', [['access-control-allow-origin', ORIGIN]], false, 'pass'],
    ['* without credentials', [['access-control-allow-origin', '*']], false, 'pass'],
    ['no ACAO', [], false, 'fail'],
    ['another origin', [['access-control-allow-origin', 'https://other.example']], false, 'fail'],
    [
      '* with withCredentials true',
      [
        ['access-control-allow-origin', '*'],
        ['access-control-allow-credentials', 'true'],
      ],
      true,
      'fail',
    ],
    ['exact origin, withCredentials true, no ACAC', [['access-control-allow-origin', ORIGIN]], true, 'fail'],
    [
      'exact origin and ACAC true, withCredentials true',
      [
        ['access-control-allow-origin', ORIGIN],
        ['access-control-allow-credentials', 'true'],
      ],
      true,
      'pass',
    ],
  ] as const)('%s → %s', (_name, raw, credentials, status) => {
    const o = obs({ raw: [['content-type', 'text/event-stream'], ...raw] as Array<[string, string]> });
    const f = judgeStreamCors(o, ORIGIN, esCall(credentials));
    expect(f).toMatchObject({ id: 'sse.cors', status });
    if (status === 'fail') expect(f.observed).toMatch(/CLOSED/);
  });

  it('no response: skip, sse.status reports it', () => {
    const { response: _, ...o } = obs();
    expect(judgeStreamCors({ ...o, error: { code: 'refused', message: 'refused' } }, ORIGIN, esCall(false)).status).toBe('skip');
  });
});

describe("sse.reconnect-after-done: replaying the browser's reconnect (HTML §9.2.1, §9.2.3; docs/browser-rules.md D-1)", () => {
  it('sends the last event id as Last-Event-ID, none when no id was sent', () => {
    expect(replayHeaders(answered())).toEqual({ 'last-event-id': '4' });
    expect(replayHeaders(obs({ chunks: [[1, 'data: {"type":"done"}\n\n']] }))).toEqual({});
  });

  it.each([
    ['204', obs({ status: 204, headers: {} }), 'pass'],
    ['410 JSON', obs({ status: 410, headers: { 'content-type': 'application/json' } }), 'pass'],
    ['200 text/plain', obs({ headers: { 'content-type': 'text/plain' } }), 'pass'],
    ['a second answer', answered(), 'warn'],
  ] as const)('replay answered %s → %s', (_n, replay, status) => {
    const f = judgeReplay(answered(), replay, CFG);
    expect(f).toMatchObject({ id: 'sse.reconnect-after-done', status });
    if (status === 'warn') expect(f.remedy).toMatch(/close\(\).*204/);
  });

  it('skips without a done to replay after, or when the replay got no response', () => {
    const noDone = obs({ chunks: [[1, msg(1, 'token', 'x')]] });
    expect(judgeReplay(noDone, undefined, CFG)).toMatchObject({ status: 'skip', observed: expect.stringMatching(/no done/) });
    const { response: _, ...lost } = obs();
    expect(judgeReplay(answered(), { ...lost, error: { code: 'reset', message: 'reset' } }, CFG).status).toBe('skip');
  });
});

describe('sse.empty-query: 4xx JSON, never a 5xx', () => {
  it.each([
    [400, 'application/json', 'pass'],
    [422, 'application/problem+json', 'pass'],
    [400, 'text/html', 'warn'],
    [500, 'application/json', 'fail'],
    [502, 'text/html', 'fail'],
    [200, 'text/event-stream', 'warn'],
  ] as const)('%i %s → %s', (status, type, expected) => {
    expect(judgeEmptyQuery(obs({ status, headers: { 'content-type': type }, excerpt: '{"detail":"x"}' })).status).toBe(expected);
  });

  it('no response fails and is marked unreachable like any request', () => {
    const { response: _, ...o } = obs();
    expect(judgeEmptyQuery({ ...o, unreachable: true, error: { code: 'refused', message: 'refused' } })).toMatchObject({ status: 'fail', unreachable: true });
  });
});

describe('sse.disconnect.cleanup: pass only on an observed rise and release (docs/browser-rules.md P-5)', () => {
  const s = (value: number | undefined, atMs: number): GaugeSample => (value === undefined ? { atMs, error: 'no sample named g' } : { atMs, value });
  const base: DisconnectObservation = {
    kind: 'disconnect',
    target: 'rag',
    gauge: 'g',
    metricsUrl: 'http://127.0.0.1:1/metrics',
    deadlineMs: 1000,
    pollMs: 100,
    baseline: [s(2, 0), s(2, 100), s(2, 200)],
    firstEventMs: 210,
    open: [s(3, 220)],
    abortedAtMs: 230,
    after: [s(2, 240)],
    stream: { status: 200, events: 2, end: 'aborted', firstEventMs: 5 },
    second: { status: 200, events: 1, end: 'aborted', firstEventMs: 4 },
  };
  it.each<[string, Partial<DisconnectObservation>, string, RegExp]>([
    ['released at once', {}, 'pass', /2 → 3 with our stream, back to 2 10 ms after/],
    ['still up at the deadline', { after: [s(3, 240), s(3, 1240)] }, 'fail', /still 3 1010 ms after we disconnected \(baseline 2/],
    ['no metrics', { metricsUrl: null, baseline: [], open: [], after: [] }, 'skip', /exposes no metrics/],
    ['no such gauge', { baseline: [s(undefined, 0)], open: [], after: [] }, 'skip', /cannot read g: no sample named g/],
    ['noisy baseline', { baseline: [s(2, 0), s(4, 100), s(2, 200)] }, 'skip', /too noisy/],
    ['gauge did not rise', { open: [s(2, 220)] }, 'skip', /does not count this endpoint/],
    ['rose by two', { open: [s(4, 220)] }, 'skip', /too noisy/],
    ['others joined after', { after: [s(3, 240), s(5, 340)] }, 'skip', /too noisy/],
    ['the answer finished first', { stream: { status: 200, events: 15, end: 'closed' } }, 'skip', /ended by itself \(closed\)/],
    ['no event at all, gauge never up', { firstEventMs: undefined, stream: { status: 503, events: 0 }, second: undefined }, 'skip', /nothing to disconnect from \(503/],
    // Behind a compressor or buffering proxy: no event before the end, dropped on time with the gauge up.
    [
      'buffered, dropped on time, released',
      { firstEventMs: undefined, trigger: 'time', droppedAfterMs: 500, stream: { status: 200, events: 0, end: 'aborted' } },
      'pass',
      /back to 2 10 ms after we disconnected \(dropped 500 ms after opening it with the gauge up and no event yet/,
    ],
    [
      'buffered, dropped on time, still up',
      { firstEventMs: undefined, trigger: 'time', droppedAfterMs: 500, stream: { status: 200, events: 0, end: 'aborted' }, after: [s(3, 240), s(3, 1240)] },
      'fail',
      /still 3 1010 ms after we disconnected .*dropped 500 ms after opening it with the gauge up/,
    ],
    ['dropped after the first event', { trigger: 'first-event', droppedAfterMs: 20 }, 'pass', /dropped after its first event 20 ms after opening it/],
    ['second stream refused', { second: { status: 503, events: 0, contentType: 'application/json' } }, 'fail', /second stream: 503/],
  ])('%s → %s', (_n, patch, status, observed) => {
    const f = judgeDisconnect({ ...base, ...patch });
    expect(f).toMatchObject({ id: 'sse.disconnect.cleanup', status });
    expect(f.observed).toMatch(observed);
    if (status === 'fail') expect(f.remedy).toBeTruthy();
  });
});

describe('sse.buffering: a late run that came one event per read was paced, not buffered', () => {
  it('a slow first event then tokens as generated passes; the same events in one read fail', () => {
    const late = (i: number) => 6000 + i * 20;
    const spread = ANSWER.map((t, i): [number, string] => [late(i), t]);
    const exp = { ...CFG, buffering: { ...CFG.buffering, minEvents: 4 } };
    expect(judgeBuffering(createContext(obs({ chunks: spread }), exp)).status).toBe('pass');
    expect(judgeBuffering(createContext(obs({ chunks: [[late(3), ANSWER.join('')]] }), exp)).status).toBe('fail');
  });
});

describe('stream config section', () => {
  it('defaults to the contract and the browser facts, and rejects an empty query', () => {
    expect(CFG).toMatchObject({
      path: '/bali-zero/chat-stream',
      query: 'hello',
      timeoutMs: 30_000,
      withCredentials: false,
      disconnect: { gauge: 'sse_active_streams' },
      firstEventMs: 5000,
    });
    expect(streamSection.safeParse({ query: '' }).success).toBe(false);
    expect(streamSection.safeParse({ disconnect: { gauge: 'not a metric' } }).success).toBe(false);
    expect(streamSection.safeParse({ unknown: 1 }).success).toBe(false);
  });
});
