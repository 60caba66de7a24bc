import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { compileStampReader } from '../../src/latency/tokens.js';
import { OverTime } from '../../src/checks/load/over-time.js';
import { streamTimeline } from '../../src/checks/stream/timeline.js';
import { emitReport } from '../../src/cli/emit.js';
import { Output } from '../../src/cli/output.js';
import { configSchema } from '../../src/checks/config.js';
import { MAX_SERIES_POINTS, MAX_TIMELINE_MARKS, type LoadCharts, type StreamTimeline } from '../../src/core/attachments.js';
import { finding, type Finding } from '../../src/core/finding.js';
import { renderHtml } from '../../src/report/html/render.js';
import { buildReport } from '../../src/report/report.js';
import type { StreamObservation } from '../../src/checks/stream/types.js';
import type { SseEvent } from '../../src/sse/types.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-html-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BREAKOUT = '</script><script>alert(1)</script><img src=https://evil.example/x>';

const FINDINGS: Finding[] = [
  finding({ id: 'sse.done', target: 'rag', status: 'pass', title: 'done ok', expected: 'done', observed: 'done' }),
  finding({
    id: 'sse.buffering',
    target: 'rag',
    status: 'fail',
    title: `burst ${BREAKOUT}`,
    expected: 'spread',
    observed: '15 of 15 at the end',
    remedy: 'proxy_buffering off',
    evidence: { burstEvents: 15, request: { method: 'GET', headers: { Authorization: 'Bearer s3cr3t-unit-token' } } },
  }),
  finding({ id: 'health.status', target: 'gateway', status: 'pass', title: 'gateway health', expected: '200', observed: '200' }),
];

const timeline = (marks: StreamTimeline['marks']): StreamTimeline => ({
  kind: 'stream-timeline',
  purpose: 'sse.stream',
  target: 'rag',
  url: 'http://127.0.0.1:1/bali-zero/chat-stream?query=hello',
  headersAtMs: 5,
  firstByteMs: 6,
  end: { reason: 'closed', atMs: 1800 },
  events: marks.length,
  marks,
  omitted: 0,
  comments: 0,
});

function load(buckets: number, points: number): LoadCharts {
  const dist = {
    count: buckets * 3,
    p50: 100,
    p95: 900,
    p99: 2000,
    max: 4000,
    buckets: Array.from({ length: buckets }, (_, i): [number, number, number] => [i + 0.25, i + 0.99, 3]),
  };
  return {
    kind: 'load-charts',
    connections: 10_000,
    durationMs: 60_000,
    firstEvent: dist,
    done: dist,
    overTime: { stepMs: 100, points: Array.from({ length: points }, (_, i): [number, number, number, number] => [i * 100, 10_000 - (i % 7), i * 50, i % 3]) },
    serverActive: Array.from({ length: 60 }, (_, i): [number, number] => [i * 1000, 9990 + (i % 10)]),
  };
}

const report = (attachments: Parameters<typeof buildReport>[0]['attachments'] = []) =>
  buildReport({
    command: 'stream',
    startedAt: new Date('2026-01-02T03:04:05Z'),
    durationMs: 2000,
    targets: { gateway: 'g', rag: 'r', origin: 'o' },
    findings: FINDINGS,
    attachments,
    logFile: undefined,
    exitCode: 1,
    interrupted: false,
  });

describe('renderHtml', () => {
  const html = renderHtml(
    report([
      timeline([
        { atMs: 1790, kind: 'token', chunk: 1, generatedAtMs: 200 },
        { atMs: 1790, kind: 'done', chunk: 1, generatedAtMs: 1700 },
      ]),
    ]),
  );

  it('is self-contained: a CSP that forbids every request, no external URL in any src or href', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<(img|script|link|iframe)[^>]+(src|href)=/i);
  });

  it('escapes finding text in the page and in the inline JSON: nothing closes the script element', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).toContain('burst &lt;/script&gt;');
    const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(data).findings[1].title).toBe(`burst ${BREAKOUT}`);
  });

  it('failures first in their target, passes folded; exit code and verdict in the header', () => {
    expect(html.indexOf('data-id="sse.buffering"')).toBeLessThan(html.indexOf('data-id="sse.done"'));
    expect(html).toMatch(/<details class="pass"><summary><span class="badge pass">pass<\/span>1 passed<\/summary>/);
    expect(html).toContain('exit code <b>1</b>');
    const reversed = renderHtml({ ...report(), findings: [...FINDINGS].reverse() });
    expect(reversed.indexOf('<div class="target" data-target="rag">')).toBeLessThan(reversed.indexOf('<div class="target" data-target="gateway">'));
    expect(html).toContain('zantara-audit stream: failed');
  });

  it('draws generation stamps when present: a held line from each generation tick to its arrival', () => {
    expect(html.match(/class="held"/g)).toHaveLength(2);
    expect(html).toContain('generated (server stamp)');
    const unstamped = renderHtml(report([timeline([{ atMs: 10, kind: 'token', chunk: 0 }])]));
    expect(unstamped).not.toContain('class="held"');
  });
});

describe('renderHtml: an unreachable target', () => {
  it('is said once at the top of its target, its checks folded as not run', () => {
    const dns = 'DNS lookup failed for rag.invalid — check the host name';
    const lost = ['health.status', 'sse.status'].map((id) =>
      finding({ id, target: 'rag', status: 'fail', title: `${id}: request failed`, expected: 'an HTTP response', observed: `rag: ${dns}`, unreachable: true }),
    );
    const html = renderHtml({
      ...report(),
      findings: [...lost, finding({ id: 'sse.done', target: 'rag', status: 'skip', title: 'done', expected: 'e', observed: `no response: ${dns}` })],
      exitCode: 3,
    });
    expect(html).toContain(`<b>rag unreachable: ${dns}</b>`);
    expect(html).toContain('<summary>3 checks not run</summary>');
    expect(html).not.toContain('<details class="finding fail"');
    expect(html).toContain('zantara-audit stream: a target was unreachable');
  });
});

describe('emitReport --html: the same Redactor as every sink', () => {
  it('a secret header value and a secret header name in evidence never reach the file', async () => {
    const output = new Output({ json: false, quiet: true, verbose: false, color: false });
    output.redactor.addSecret('Bearer s3cr3t-unit-token');
    const file = join(dir, 'redacted.html');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await emitReport(report(), output, {}, { html: file });
    } finally {
      write.mockRestore();
    }
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('s3cr3t-unit-token');
    expect(html).toContain('[REDACTED]');
  });

  it('report.html is a config key; the file path is what the summary line names', () => {
    expect(configSchema.parse({ report: { html: 'out/report.html' } }).report).toEqual({ html: 'out/report.html' });
    expect(configSchema.safeParse({ report: { pdf: 'x' } }).success).toBe(false);
  });
});

describe('attachments stay bounded', () => {
  it('a stream of 20,000 events keeps 2,000 marks, the first and last thousand', () => {
    const events: SseEvent[] = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'message',
      data: `{"type":"token","data":"x","t":${Date.parse('2026-01-02T03:04:05Z') + i - 1}}`,
      lastEventId: '',
      atMs: i,
      offset: i * 30,
      chunk: i,
    }));
    const obs = {
      kind: 'stream',
      purpose: 'sse.stream',
      target: 'rag',
      request: { url: 'u' },
      timings: { startedAt: '2026-01-02T03:04:05Z', ttfbMs: 1, totalMs: 20_000 },
      record: { events, commentCount: 0, chunks: { firstAtMs: 0 }, end: { reason: 'closed', atMs: 20_000 } },
    } as unknown as StreamObservation;
    // The reader the stream check compiles from stream.generatedAtField (the reference server's `t`).
    const t = streamTimeline(obs, configSchema.parse({}).stream, compileStampReader('t'));
    expect(t?.marks).toHaveLength(MAX_TIMELINE_MARKS);
    expect(t?.omitted).toBe(18_000);
    expect(t?.marks.at(-1)).toEqual({ atMs: 19_999, kind: 'token', chunk: 19_999, generatedAtMs: 19_998 });
  });

  it('streams over time: an hour of changes keeps at most MAX_SERIES_POINTS points, the last state last', () => {
    const series = new OverTime();
    for (let t = 0; t < 3_600_000; t += 7) series.note(t, t % 100, t, 0);
    const { stepMs, points } = series.toJSON();
    expect(points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    expect(stepMs).toBeGreaterThanOrEqual(3_600_000 / MAX_SERIES_POINTS);
    expect(points.at(-1)?.[0]).toBe(Math.floor(3_599_999 / 7) * 7);
  });

  it('the largest load attachment (every histogram bucket, full series) renders well under 2 MB', () => {
    const html = renderHtml(report([load(3328, MAX_SERIES_POINTS)]));
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(html).toContain('class="dist first-event"');
  });
});
