/**
 * `load --transport fetch`: every stream is the app's fetch() call (method, body, token, SSE or
 * NDJSON framing), as the stream check sends it. Against the reference server in both framings
 * (clean, and the faults load fails on), and against a RAG that serves the stream by POST only,
 * where EventSource's GET (load's only request before) gets a 405. No timing is asserted.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, statusOf, type JsonFinding } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-load-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The server's verdict is the subject: the client may be as busy as the shared machine makes it (as in load-latency.test.ts). */
const TRUST_CLIENT_FILE = join(dir, 'trust.json');
writeFileSync(TRUST_CLIENT_FILE, JSON.stringify({ load: { client: { loopDelayP99Ms: 60_000, cpuPercent: 100_000, rateShare: 0.01 } } }));
const TRUST_CLIENT = ['--config', TRUST_CLIENT_FILE];
/** The pass side: objectives a clean answer cannot miss even when the machine is busy. */
const WIDE_SLO_FILE = join(dir, 'wide.json');
writeFileSync(
  WIDE_SLO_FILE,
  JSON.stringify({ load: { client: { loopDelayP99Ms: 60_000, cpuPercent: 100_000, rateShare: 0.01 } }, stream: { slo: { ttftMs: 20_000, itlP99Ms: 20_000, e2eMs: 60_000 } } }),
);
// The RAG's own event-loop lag is load.eventloop-lag's subject (load.test.ts), and a busy machine moves it.
const PACE = ['--ttft', '0', '--token-interval', '10', '--jitter', '0', '--skip', 'load.eventloop-lag'];
const SMALL = ['--connections', '20', '--ramp', '200', '--duration', '1', '--no-log'];

type F = JsonFinding & { observed: string; evidence?: Record<string, unknown> };
const byId = (findings: JsonFinding[], id: string) => findings.find((f) => f.id === id) as F | undefined;

describe.each(['sse', 'ndjson'])('load --local --transport fetch --stream-format %s', (format) => {
  const FETCH = ['--transport', 'fetch', '--stream-format', format];

  it('the clean server: every stream is the POST, read in its framing; success, TTFT, ITL, e2e and goodput pass', async () => {
    const { result, report } = await runJson(['load', '--local', ...FETCH, '--connections', '50', '--duration', '2', '--no-log', ...PACE, '--config', WIDE_SLO_FILE]);
    expect(result.code, result.stdout).toBe(0);
    for (const id of ['load.success-rate', 'load.ttft', 'load.itl', 'load.e2e', 'load.goodput']) expect(statusOf(report, id), id).toEqual(['pass']);
    const summary = byId(report.findings, 'load.success-rate')?.evidence as { method: string; framing: string; failed: number; completed: number; started: number; events: number };
    expect(summary).toMatchObject({ method: 'POST', framing: format, failed: 0 });
    expect(summary.completed).toBe(summary.started);
    // 64 events per answer (SERVER_STAMP: metadata, 61 tokens, sources, done): the framing was read, not just the status.
    expect(summary.events).toBeGreaterThanOrEqual(64 * summary.completed);
  });

  it('fault max-streams=50: streams beyond 50 get 503, load.success-rate fails', async () => {
    const { result, report } = await runJson(['load', '--local', ...FETCH, '--fault', 'max-streams=50', '--connections', '200', '--duration', '2', '--no-log']);
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['fail']);
    const summary = byId(report.findings, 'load.success-rate')?.evidence as { failures: Record<string, number>; method: string };
    expect(summary.method).toBe('POST');
    expect(summary.failures['http 503']).toBeGreaterThan(0);
  });

  it('fault slow-first-token: load.ttft and load.goodput fail while every stream ends with done', async () => {
    const { result, report } = await runJson(['load', '--local', ...FETCH, '--fault', 'slow-first-token=2500', ...SMALL, ...PACE, ...TRUST_CLIENT]);
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['pass']);
    expect(statusOf(report, 'load.ttft')).toEqual(['fail']);
    expect(byId(report.findings, 'load.goodput')).toMatchObject({ status: 'fail', observed: expect.stringContaining('missed: ttft') });
  });

  it('fault stalls: load.itl fails on the pause mid-answer', async () => {
    const { report } = await runJson(['load', '--local', ...FETCH, '--fault', 'stalls=1500', ...SMALL, ...PACE, ...TRUST_CLIENT]);
    expect(statusOf(report, 'load.itl')).toEqual(['fail']);
    expect(byId(report.findings, 'load.goodput')?.observed).toContain('missed: itl');
  });

  it('fault no-done: the streams close without done, load.success-rate fails', async () => {
    const { result, report } = await runJson(['load', '--local', ...FETCH, '--fault', 'no-done', ...SMALL, ...PACE]);
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['fail']);
    const summary = byId(report.findings, 'load.success-rate')?.evidence as { failures: Record<string, number> };
    expect(summary.failures['closed without done']).toBeGreaterThan(0);
  });
});

/** A RAG that serves the answer only to the app's POST with a bearer token (405 to a GET, 401 without the token), as many do. */
interface Seen {
  method: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

function postOnlyRag(format: 'sse' | 'ndjson', seen: Seen[]): Server {
  const frame = (json: string) => (format === 'ndjson' ? `${json}\n` : `data: ${json}\n\n`);
  return createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      if (seen.length < 1000) seen.push({ method: req.method ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      if (!req.url?.startsWith('/bali-zero/chat-stream')) return res.writeHead(404).end();
      if (req.method !== 'POST') return res.writeHead(405, { allow: 'POST' }).end();
      if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return res.writeHead(401).end();
      res.writeHead(200, { 'content-type': format === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream' });
      const tokens = ['Bali ', 'is ', 'an ', 'island'];
      res.write(frame('{"type":"metadata"}'));
      let i = 0;
      const timer = setInterval(() => {
        const token = tokens[i++];
        if (token !== undefined) return void res.write(frame(JSON.stringify({ type: 'token', data: token })));
        clearInterval(timer);
        res.end(frame('{"type":"done"}'));
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
  });
}

describe.each(['sse', 'ndjson'] as const)('load against a RAG that streams to POST only (%s)', (format) => {
  const seen: Seen[] = [];
  const server = postOnlyRag(format, seen);
  let rag = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    rag = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const args = () => ['load', '--rag', rag, '--connections', '10', '--ramp', '0', '--duration', '1', '--no-log', ...TRUST_CLIENT, '--skip', 'load.eventloop-lag'];

  it("--transport fetch: each stream is the app's POST with the body and the configured token, and ends with done", async () => {
    seen.length = 0;
    const { result, report } = await runJson([
      ...args(),
      '--transport',
      'fetch',
      '--stream-format',
      format,
      '--query',
      'visa "B211A"',
      '--header',
      'Authorization: Bearer s3cret-token',
    ]);
    expect(result.code, result.stdout).toBe(0);
    expect(statusOf(report, 'load.success-rate')).toEqual(['pass']);
    const posts = seen.filter((s) => s.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(10);
    expect(posts[0]).toEqual({ method: 'POST', authorization: 'Bearer s3cret-token', contentType: 'application/json', body: '{"query": "visa \\"B211A\\""}' });
    // The secret never reaches the report.
    expect(result.stdout).not.toContain('s3cret-token');
  });

  it("the old request, EventSource's GET, gets the 405 and every stream fails", async () => {
    const { result, report } = await runJson(args());
    expect(result.code, result.stdout).toBe(1);
    expect(statusOf(report, 'load.success-rate')).toEqual(['fail']);
    const summary = byId(report.findings, 'load.success-rate')?.evidence as { failures: Record<string, number>; method: string; completed: number };
    expect(summary).toMatchObject({ method: 'GET', completed: 0 });
    expect(Object.keys(summary.failures)).toEqual(['http 405']);
  });
});
