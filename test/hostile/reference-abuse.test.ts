/**
 * The reference server under abuse (in process, loopback): thousands of clients that reset mid
 * stream, oversized and malformed request targets, unknown paths and methods. It answers 4xx where
 * due, never crashes (an exception in a handler would fail this file), and its
 * `sse_active_streams` gauge comes back to 0.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReference, type RunningReference } from '../../src/server/index.js';

const ORIGIN = 'https://zantara.balizero.com';
const STREAM = '/bali-zero/chat-stream';
/** The answer's last event: done, stamped with its generation time (serve --help). */
const DONE_LAST = /data: \{"type":"done","data":null,"t":\d+(\.\d+)?\}$/;
let ref: RunningReference;
let gateway: number;
let rag: number;

beforeAll(async () => {
  ref = await startReference({ origin: ORIGIN, pace: { ttftMs: 5, tokenIntervalMs: 5, jitterMs: 0 } });
  gateway = Number(new URL(ref.gateway).port);
  rag = Number(new URL(ref.rag).port);
});
afterAll(() => ref.close());

interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** One request written as raw bytes (so malformed ones stay malformed); read to the end of its response. */
function raw(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      // Framing is in bytes: split as latin1 (one char per byte), decode the body as UTF-8 last.
      const text = buffered.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end === -1 ? text : text.slice(0, end);
      const body = end === -1 ? '' : text.slice(end + 4);
      const bytes = /^transfer-encoding: chunked$/im.test(head) ? unchunk(body) : body;
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), head, body: Buffer.from(bytes, 'latin1').toString('utf8') });
    };
    socket.on('data', (c: Buffer) => {
      buffered = Buffer.concat([buffered, c]);
      if (complete(buffered.toString('latin1'))) finish();
    });
    socket.on('error', (err) => (buffered.length ? finish() : reject(err)));
    socket.on('close', finish);
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no complete answer to ${JSON.stringify(request.slice(0, 80))}`)));
  });
}

/** A response is complete at its Content-Length, or at the last chunk (streams are keep-alive). */
function complete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const head = text.slice(0, end);
  const length = /^content-length: (\d+)$/im.exec(head)?.[1];
  if (length !== undefined) return text.length - end - 4 >= Number(length);
  return /^transfer-encoding: chunked$/im.test(head) && text.endsWith('\r\n0\r\n\r\n');
}

function unchunk(body: string): string {
  let out = '';
  for (let at = 0; ; ) {
    const eol = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

const get = (port: number, target: string, method = 'GET') => raw(port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\nConnection: close\r\n\r\n`);

/** The RAG's sse_active_streams gauge, from GET /metrics. */
async function activeStreams(port = rag): Promise<number> {
  const { status, body } = await get(port, '/metrics');
  expect(status).toBe(200);
  const value = /^sse_active_streams(?:\{[^}]*\})? (\S+)$/m.exec(body)?.[1];
  expect(value, 'sse_active_streams is exposed').toBeDefined();
  return Number(value);
}

/** Poll until the gauge is 0 (bounded: 10 s); returns the last value seen. */
async function gaugeSettles(port = rag): Promise<number> {
  let value = await activeStreams(port);
  for (const until = Date.now() + 10_000; value !== 0 && Date.now() < until; value = await activeStreams(port)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return value;
}

/** After every case: the gauge is back at 0 and a whole answer stream still ends with done. */
afterEach(async () => {
  expect(await gaugeSettles()).toBe(0);
  const answer = await get(rag, `${STREAM}?query=still%20alive`);
  expect(answer.status).toBe(200);
  expect(answer.body.trimEnd()).toMatch(DONE_LAST);
});

/** Open a stream and reset the connection (RST): at once, or after its first bytes, so the server is mid-stream. */
function resetStream(port: number, afterFirstBytes: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    let started = false;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${STREAM}?query=reset HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      if (!afterFirstBytes) socket.resetAndDestroy();
    });
    socket.once('data', () => {
      started = true;
      socket.resetAndDestroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(started));
  });
}

describe('reference server under abuse', () => {
  it('10,000 abrupt client resets on the stream endpoint (250 at a time): no crash, generation stops, the gauge returns to 0', async () => {
    // Tokens every 2 s: an answer takes ~2 min, so a gauge back at 0 within 10 s means every reset
    // stream was stopped by its disconnect, not by running out of tokens.
    const slow = await startReference({ origin: ORIGIN, pace: { ttftMs: 2000, tokenIntervalMs: 2000 } });
    const port = Number(new URL(slow.rag).port);
    try {
      const TOTAL = 10_000;
      const BATCH = 250;
      let midStream = 0;
      for (let sent = 0; sent < TOTAL; sent += BATCH) {
        const batch = await Promise.all(Array.from({ length: BATCH }, (_, i) => resetStream(port, (sent + i) % 2 === 0)));
        midStream += batch.filter(Boolean).length;
      }
      // At least the half that waited for the first bytes was reset while its stream was being generated.
      expect(midStream).toBeGreaterThanOrEqual(TOTAL / 2);
      expect(await gaugeSettles(port)).toBe(0);
      expect((await get(port, '/health')).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('a 64 KiB query: 431 Request Header Fields Too Large, not a hang-up', async () => {
    const r = await get(rag, `${STREAM}?query=${'a'.repeat(64 * 1024)}`);
    expect(r.status).toBe(431);
  });

  it('malformed percent-encoding (%E0%A4%A) is decoded leniently, as Starlette does, and the stream completes', async () => {
    const r = await get(rag, `${STREAM}?query=%E0%A4%A`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('"query":"\uFFFD%A"');
    expect(r.body.trimEnd()).toMatch(DONE_LAST);
  });

  it('an empty query is a 400 with a reason, not an empty stream', async () => {
    const r = await get(rag, `${STREAM}?query=%20`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ detail: 'query must not be empty' });
  });

  it.each([
    ['rag', '/nope'],
    ['rag', `${STREAM}/extra`],
    ['gateway', '/bali-zero/chat-stream'],
    ['gateway', '/%2e%2e/%2e%2e/etc/passwd'],
  ])('%s: unknown path %s → 404', async (service, path) => {
    expect((await get(service === 'rag' ? rag : gateway, path)).status).toBe(404);
  });

  it.each([
    ['rag', STREAM, 'DELETE', 'GET, POST'],
    ['rag', STREAM, 'PATCH', 'GET, POST'],
    ['rag', '/health', 'PUT', 'GET, HEAD, POST, OPTIONS'],
    ['gateway', '/api/chat', 'DELETE', 'POST'],
    ['gateway', '/health', 'PATCH', 'GET, HEAD, POST, OPTIONS'],
  ])('%s: %s with %s → 405 naming what is allowed (Allow: %s)', async (service, path, method, allow) => {
    const r = await get(service === 'rag' ? rag : gateway, `${path}?query=x`, method);
    expect(r.status).toBe(405);
    expect(r.head).toMatch(new RegExp(`^allow: ${allow}$`, 'mi'));
  });

  it('rag: POST to the stream without a bearer token → 401, with the CORS headers the page needs to read it', async () => {
    const r = await get(rag, STREAM, 'POST');
    expect(r.status).toBe(401);
    expect(r.head).toMatch(new RegExp(`^access-control-allow-origin: ${ORIGIN}$`, 'mi'));
    expect(r.head).toMatch(/^www-authenticate: Bearer$/im);
  });

  it.each([
    ['a method that is not HTTP', 400, 'FROBNICATE / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a request line that is not HTTP', 400, 'hello\r\n\r\n'],
    ['a target that is not a URL', 400, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a 20 KiB header', 431, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20 * 1024)}\r\n\r\n`],
  ])('%s → %i, answered before the connection closes', async (_, status, request) => {
    for (const port of [rag, gateway]) expect((await raw(port, request)).status).toBe(status);
  });
});
