import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyDecoder } from '../../src/checks/stream/decode.js';
import { streamCall } from '../../src/checks/stream-call.js';
import { probeStream } from '../../src/checks/stream/probe.js';
import { configSchema } from '../../src/checks/config.js';
import type { CheckContext } from '../../src/checks/runner.js';
import { HttpClient } from '../../src/http/client.js';

const EVENT = 'data: {"type":"token","data":"x"}\n\n';

describe('Content-Encoding is undone before the SSE reader, as a browser does (Fetch, then HTML §9.2.5)', () => {
  it('gunzips a body fed in 7-byte pieces, stamping output with the latest arrival time', async () => {
    const out: Array<[string, number]> = [];
    const dec = bodyDecoder('gzip', (c, at) => out.push([Buffer.from(c).toString(), at]));
    const gz = gzipSync(EVENT.repeat(3));
    for (let i = 0; i < gz.length; i += 7) dec?.write(gz.subarray(i, i + 7), i);
    await dec?.finish();
    expect(out.map(([t]) => t).join('')).toBe(EVENT.repeat(3));
    expect(dec).toMatchObject({ coding: 'gzip', compressedBytes: gz.length, error: undefined });
    expect(out.every(([, at]) => at % 7 === 0 && at < gz.length)).toBe(true);
  });

  it('a body cut mid-member reports the error after delivering what it could', async () => {
    let text = '';
    const dec = bodyDecoder('gzip', (c) => (text += Buffer.from(c).toString()));
    const gz = gzipSync(EVENT.repeat(100));
    dec?.write(gz.subarray(0, gz.length - 20), 0);
    await dec?.finish();
    expect(dec?.error).toMatch(/unexpected end of file/);
  });

  it('identity, absent and unknown codings get no decoder', () => {
    for (const coding of [undefined, '', 'identity', 'zstd']) expect(bodyDecoder(coding, () => undefined)).toBeUndefined();
    expect(bodyDecoder(' BR ', () => undefined)?.coding).toBe('br');
  });
});

describe('a gzip bomb stops at stream.caps.maxBytes', () => {
  let server: Server;
  let url: string;
  // 64 MiB of events compress to ~100 KiB.
  const bomb = gzipSync(Buffer.from(EVENT.repeat(Math.ceil((64 * 1024 * 1024) / EVENT.length))));
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads 1 MiB of the 64 MiB and ends as cap-bytes', async () => {
    const http = new HttpClient();
    const config = configSchema.parse({ targets: { rag: { url } }, stream: { caps: { maxBytes: 1024 * 1024, maxEvents: 1_000_000 } } });
    const ctx: CheckContext = { config, http, record: () => undefined, signal: new AbortController().signal, verbose: false };
    try {
      const obs = await probeStream(ctx, { purpose: 'test', call: streamCall(config, 'hello'), url: `${url}/s` });
      expect(obs.record?.end.reason).toBe('cap-bytes');
      expect(obs.record?.bytes).toBe(1024 * 1024);
      expect(obs.decoding).toMatchObject({ coding: 'gzip' });
      expect(obs.request.headers['accept-encoding']).toBe('gzip, deflate, br');
    } finally {
      await http.close();
    }
  });
});
