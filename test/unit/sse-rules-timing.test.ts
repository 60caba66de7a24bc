import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { createContext, type StreamContext } from '../../src/checks/stream/context.js';
import {
  judgeBuffering,
  judgeCacheControl,
  judgeContentEncoding,
  judgeContentLength,
  judgeContentType,
  judgeFirstEvent,
  judgeGaps,
  judgeHeartbeat,
  judgeReconnect,
  judgeStatus,
  streamExpectationSchema,
  type StreamObservation,
} from '../../src/checks/stream/rules.js';
import { streamObservation } from '../helpers/observations.js';
import type { StreamEnd } from '../../src/sse/types.js';

const EXP = streamExpectationSchema.parse({});
const CLEAN = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const tok = (t: string) => `data: {"type":"token","data":"${t}"}\n\n`;
const DONE = 'data: {"type":"done","data":null}\n\n';

interface Shape {
  chunks: Array<[atMs: number, text: string]>;
  headers?: Record<string, string>;
  status?: number;
  ttfbMs?: number;
  end?: StreamEnd;
  endAt?: number;
}

const obs = ({ chunks, headers = CLEAN, status, ttfbMs, end, endAt }: Shape): StreamObservation =>
  streamObservation({
    chunks,
    headers,
    status,
    ttfbMs,
    end,
    endAt,
    closeAfterMs: 5,
    url: 'http://127.0.0.1:1/s',
    requestHeaders: { 'accept-encoding': 'gzip, deflate, br, zstd' },
  });

/** Tokens every `step` ms from `from`, then done: a stream generated and delivered over time. */
function paced(n: number, step: number, from = 100): Array<[number, string]> {
  return [...Array.from({ length: n }, (_, i): [number, string] => [from + i * step, tok(`t${i}`)]), [from + n * step, DONE]];
}

const judge = (fn: (ctx: StreamContext) => Finding, o: StreamObservation, exp = EXP): Finding => {
  const f = fn(createContext(o, exp));
  if (f.status === 'fail' || f.status === 'warn') expect(f.remedy, `${f.id} remedy`).toBeTruthy();
  return f;
};

describe('response gate (HTML §9.2.2 steps 14–19)', () => {
  it('§9.2.2 step 18: sse.status fails on 503 with the body, passes on 200', () => {
    const bad = obs({ chunks: [], status: 503, headers: { 'content-type': 'text/html' } });
    bad.response = { ...(bad.response as NonNullable<StreamObservation['response']>), bodyExcerpt: '<h1>Service Unavailable</h1>' };
    expect(judge(judgeStatus, bad)).toMatchObject({ status: 'fail', observed: '503 "<h1>Service Unavailable</h1>"' });
    expect(judge(judgeStatus, obs({ chunks: paced(1, 10) })).status).toBe('pass');
  });

  it('§9.2.1: a 204 fails and explains it only stops reconnects', () => {
    expect(judge(judgeStatus, obs({ chunks: [], status: 204 })).remedy).toContain('stop reconnecting');
  });

  it('§9.2.2 step 18: sse.content-type fails without text/event-stream, passes with parameters, warns on a foreign charset', () => {
    expect(judge(judgeContentType, obs({ chunks: [], headers: { 'content-type': 'application/json' } })).status).toBe('fail');
    expect(judge(judgeContentType, obs({ chunks: [], headers: {} })).observed).toBe('no Content-Type');
    expect(judge(judgeContentType, obs({ chunks: [], headers: { 'content-type': 'Text/Event-Stream; charset=UTF-8' } })).status).toBe('pass');
    expect(judge(judgeContentType, obs({ chunks: [], headers: { 'content-type': 'text/event-stream;charset=windows-1252' } })).status).toBe('warn');
    expect(judge(judgeContentType, obs({ chunks: [], status: 500 })).status).toBe('skip');
  });

  it('§4 row 9: sse.cache-control warns without no-cache, passes with it', () => {
    expect(judge(judgeCacheControl, obs({ chunks: [], headers: { 'content-type': 'text/event-stream' } })).status).toBe('warn');
    expect(judge(judgeCacheControl, obs({ chunks: [], headers: { 'content-type': 'text/event-stream', 'cache-control': 'public, max-age=60' } })).status).toBe('warn');
    expect(judge(judgeCacheControl, obs({ chunks: [] })).status).toBe('pass');
  });

  it("§4 row 2: sse.content-encoding warns on gzip with the request's Accept-Encoding as evidence", () => {
    const f = judge(judgeContentEncoding, obs({ chunks: [], headers: { ...CLEAN, 'content-encoding': 'gzip', vary: 'Accept-Encoding' } }));
    expect(f).toMatchObject({ status: 'warn', observed: 'Content-Encoding: gzip', evidence: { 'request accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(judge(judgeContentEncoding, obs({ chunks: [] })).status).toBe('pass');
  });

  it('§4 row 6: sse.content-length fails when present, passes when absent', () => {
    expect(judge(judgeContentLength, obs({ chunks: [], headers: { ...CLEAN, 'content-length': '0' } }))).toMatchObject({ status: 'fail', observed: 'Content-Length: 0' });
    expect(judge(judgeContentLength, obs({ chunks: [] })).status).toBe('pass');
  });
});

describe('timing', () => {
  it('sse.first-event warns above the threshold, passes below', () => {
    expect(judge(judgeFirstEvent, obs({ chunks: paced(3, 10, 6000) }))).toMatchObject({ status: 'warn', observed: '6000 ms after the request (first token at 6000 ms)' });
    expect(judge(judgeFirstEvent, obs({ chunks: paced(3, 10, 120) })).status).toBe('pass');
    expect(judge(judgeFirstEvent, obs({ chunks: [[100, ': only a comment\n\n']] })).status).toBe('skip');
  });

  it('sse.gaps fails on the largest inter-event gap above the threshold, naming the events', () => {
    const chunks: Array<[number, string]> = [
      [100, tok('a')],
      [200, tok('b')],
      [12_300, tok('c')],
      [12_400, DONE],
    ];
    expect(judge(judgeGaps, obs({ chunks }))).toMatchObject({ status: 'fail', observed: '12100 ms between event #1 and #2 (at 200 ms and 12300 ms)' });
    expect(judge(judgeGaps, obs({ chunks: paced(5, 500) })).status).toBe('pass');
    expect(judge(judgeGaps, obs({ chunks: [[100, DONE]] })).status).toBe('skip');
  });

  it('§9.2.7 sse.heartbeat warns on a long silent stream, passes with comments, skips short streams', () => {
    const silent: Array<[number, string]> = [
      [100, tok('a')],
      [40_000, tok('b')],
      [40_100, DONE],
    ];
    expect(judge(judgeHeartbeat, obs({ chunks: silent }))).toMatchObject({ status: 'warn', severity: 'low', observed: expect.stringContaining('longest silence 39900 ms') });
    const pinged: Array<[number, string]> = [
      [100, tok('a')],
      ...Array.from({ length: 4 }, (_, i): [number, string] => [10_000 * (i + 1), ': ping\n\n']),
      [40_000, tok('b')],
      [40_100, DONE],
    ];
    expect(judge(judgeHeartbeat, obs({ chunks: pinged })).status).toBe('pass');
    expect(judge(judgeHeartbeat, obs({ chunks: paced(3, 100) })).status).toBe('skip');
  });
});

describe('sse.buffering heuristic (docs/browser-rules.md P-1)', () => {
  it('fails when events generated over time arrive in one burst at the end', () => {
    const burst: Array<[number, string]> = [[4000, [...Array.from({ length: 9 }, (_, i) => tok(`t${i}`)), DONE].join('')]];
    const f = judge(judgeBuffering, obs({ chunks: burst }));
    expect(f).toMatchObject({ status: 'fail', evidence: { burstEvents: 10, chunksWithEvents: 1, headersHeld: false } });
    expect(f.observed).toBe('10 of 10 events arrived in one burst at 4000 ms, after 3950 ms of a 3950 ms stream');
  });

  it('fails when the burst is spread over a few ms and several chunks, and the headers were held too', () => {
    const chunks = Array.from({ length: 8 }, (_, i): [number, string] => [3000 + i * 2, tok(`t${i}`)]);
    expect(judge(judgeBuffering, obs({ chunks, ttfbMs: 2999 }))).toMatchObject({ status: 'fail', evidence: { headersHeld: true, measuredFromMs: 0 } });
  });

  it('passes when events arrive spread over the stream', () => {
    expect(judge(judgeBuffering, obs({ chunks: paced(10, 200) })).status).toBe('pass');
  });

  it('passes when the first events were delivered early even if the end is a burst', () => {
    const chunks: Array<[number, string]> = [
      [100, tok('a')],
      [900, tok('b')],
      [1700, tok('c')],
      [3000, [tok('d'), tok('e'), tok('f'), DONE].join('')],
    ];
    expect(judge(judgeBuffering, obs({ chunks })).status).toBe('pass');
  });

  it('skips with too few events, or a stream too fast to tell', () => {
    expect(judge(judgeBuffering, obs({ chunks: paced(2, 1000) })).observed).toContain('too few');
    expect(judge(judgeBuffering, obs({ chunks: paced(10, 20) })).observed).toContain('too fast');
  });
});

describe('sse.reconnect (HTML §9.2.3, informational)', () => {
  it('says the browser reconnects after done unless the page closes, with retry: and Last-Event-ID', () => {
    const f = judge(judgeReconnect, obs({ chunks: [[100, `retry: 2000\nid: 41\n${tok('a')}id: 42\n${DONE}`]] }));
    expect(f.status).toBe('pass');
    expect(f.observed).toBe(
      'after done and closed, EventSource reconnects after 2000 ms (retry:) with Last-Event-ID: "42" unless the page calls close() on done; the answer would be requested again',
    );
    expect(f.evidence).toMatchObject({ retryMs: 2000, eventsWithId: 2, lastEventId: '42' });
  });

  it("defaults to Chromium's 3000 ms without retry:", () => {
    expect(judge(judgeReconnect, obs({ chunks: paced(1, 10) })).observed).toContain('reconnects after 3000 ms (no retry: sent; Chromium default) with no Last-Event-ID');
  });

  it('§9.2.2 step 18: a non-200 ends EventSource for good: warn', () => {
    expect(judge(judgeReconnect, obs({ chunks: [], status: 503 }))).toMatchObject({ status: 'warn', observed: expect.stringContaining('CLOSED and never reconnects') });
  });

  it('S-REQ-6: a Last-Event-ID needing a CORS preflight warns', () => {
    expect(judge(judgeReconnect, obs({ chunks: [[100, `id: msg:1\n${DONE}`]] })).status).toBe('warn');
    expect(judge(judgeReconnect, obs({ chunks: [[100, `id: ${'a'.repeat(129)}\n${DONE}`]] })).observed).toContain('129 bytes');
  });
});

describe('streamExpectationSchema', () => {
  it('has the contract defaults', () => {
    expect(EXP).toMatchObject({ firstEventMs: 5000, maxGapMs: 10_000, closeAfterDoneMs: 2000, heartbeatMs: 15_000, defaultRetryMs: 3000, buffering: { minEvents: 5 } });
    expect(EXP.done).toEqual([
      { kind: 'json', field: 'type', equals: 'done' },
      { kind: 'event', name: 'done' },
      { kind: 'data', equals: '[DONE]' },
    ]);
  });

  it('parses the done rule shorthands and objects, and rejects unknown keys and bad forms', () => {
    expect(streamExpectationSchema.parse({ done: ['json:status=finished', 'data:[END]'] }).done).toEqual([
      { kind: 'json', field: 'status', equals: 'finished' },
      { kind: 'data', equals: '[END]' },
    ]);
    expect(streamExpectationSchema.safeParse({ done: ['done'] }).error?.issues[0]?.message).toContain('json:<field>=<value>');
    expect(streamExpectationSchema.safeParse({ done: [] }).success).toBe(false);
    expect(streamExpectationSchema.safeParse({ firstEventMS: 1 }).success).toBe(false);
    expect(streamExpectationSchema.safeParse({ buffering: { burstShare: 2 } }).success).toBe(false);
  });
});
