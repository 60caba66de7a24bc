import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configArgs, FAST, findingsOf, notPassing, runCli, runJson, statusOf } from '../helpers/cli.js';
import { expectTripped, faultCases } from '../helpers/stream-faults.js';

const STREAM_IDS = [
  'sse.status',
  'sse.content-type',
  'sse.cache-control',
  'sse.content-encoding',
  'sse.content-length',
  'sse.done',
  'sse.protocol',
  'sse.first-event',
  'sse.ttft',
  'sse.gaps',
  'sse.itl',
  'sse.e2e',
  'sse.buffering',
  'sse.heartbeat',
  'sse.reconnect',
  'sse.cors',
  'sse.reconnect-after-done',
  'sse.empty-query',
  'sse.disconnect.cleanup',
];

/** Config files that shorten what a fault would otherwise make the run wait for (with FAST, the reference answer takes ~0.15 s). */
const dir = mkdtempSync(join(tmpdir(), 'zantara-stream-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (name: string, stream: object) => configArgs(dir, name, { stream });

describe('stream --local on the clean reference server', () => {
  it('exit 0; every sse.* finding passes or skips with a reason; disconnect cleanup observed', async () => {
    const { result, report } = await runJson(['stream', '--local', '--no-log', ...FAST]);
    expect(result.code, result.stderr).toBe(0);
    expect(notPassing(report)).toEqual([]);
    expect(report.findings.map((f) => f.id)).toEqual(STREAM_IDS);
    for (const id of ['sse.status', 'sse.done', 'sse.protocol', 'sse.cors', 'sse.reconnect-after-done', 'sse.empty-query', 'sse.disconnect.cleanup']) {
      expect(statusOf(report, id), id).toEqual(['pass']);
    }
    const protocol = findingsOf(report).find((f) => f.id === 'sse.protocol');
    expect(protocol?.evidence).toMatchObject({ counts: { metadata: 1, token: 61, sources: 1, done: 1 }, sources: 2 });
    expect(findingsOf(report).find((f) => f.id === 'sse.reconnect-after-done')?.observed).toMatch(/Last-Event-ID: 64 got 204/);
  });

  it('terminal output names the command, the checks (passes grouped, each with -v) and the summary', async () => {
    const result = await runCli(['stream', '--local', '--no-log', '--skip', 'sse.disconnect', ...FAST]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^zantara-audit stream — /);
    expect(result.stdout).toMatch(/✔ \d+ answer-stream checks passed \[sse\.\*\]/);
    expect(result.stdout).toMatch(/waived by --skip/);
    const verbose = await runCli(['stream', '--local', '--no-log', '--skip', 'sse.disconnect', '-v', ...FAST]);
    expect(verbose.stdout).toMatch(/answer stream answers 200 \[sse\.status\]/);
  });

  it('--query "" is a usage error (exit 2) before anything is sent', async () => {
    const result = await runCli(['stream', '--local', '--query', '', '--no-log']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stream\.query \(from flag --query\)/);
  });
});

describe('each stream fault trips its finding', () => {
  it.each(faultCases('eventsource', dir))('%s → %s %s, exit %i', async (fault, id, status, code, allowed, extra) => {
    const run = await runJson(['stream', '--local', '--fault', fault, '--no-log', ...FAST, ...extra]);
    expectTripped(run, id, status, code, allowed);
  });

  it('slow-first-token: the metadata event comes at once, the first token late; stalls: the long pause is mid-answer', async () => {
    const slow = await runJson(['stream', '--local', '--fault', 'slow-first-token=1500', '--no-log', '--skip', 'sse.disconnect', ...FAST]);
    const first = findingsOf(slow.report).find((f) => f.id === 'sse.first-event');
    expect(first?.status).toBe('pass');
    // Verdict-level bounds, not timing: with FAST pace a clean answer's first token follows the metadata
    // within milliseconds; 1000 ms of the fault's 1500 is left as slack for a loaded machine.
    expect((first?.evidence?.firstTokenMs as number) - (first?.evidence?.firstEventMs as number)).toBeGreaterThanOrEqual(1000);
    const stalled = await runJson(['stream', '--local', '--fault', 'stalls=1500', '--no-log', '--skip', 'sse.disconnect', ...FAST]);
    const gaps = findingsOf(stalled.report).find((f) => f.id === 'sse.gaps');
    expect(gaps?.evidence?.maxGapMs as number).toBeGreaterThanOrEqual(1000);
    // The stalled event is in the middle of the 64 events, not at the start or the end.
    expect(gaps?.evidence?.to).toBe(32);
  });

  it.each([
    ['gzip-ignore-disconnect', 'fail'],
    ['gzip', 'pass'],
    ['buffered', 'pass'],
  ] as const)('behind a buffering layer (%s) the disconnect probe drops the stream on time with the gauge up → %s, and says so', async (fault, status) => {
    const { report } = await runJson([
      'stream',
      '--local',
      '--fault',
      fault,
      '--no-log',
      '--skip',
      'sse.empty-query',
      ...config('disconnect', { disconnect: { deadlineMs: 800 } }),
    ]);
    const f = findingsOf(report).find((x) => x.id === 'sse.disconnect.cleanup');
    expect(f?.status, f?.observed).toBe(status);
    expect(f?.observed).toMatch(/dropped \d+ ms after opening it with the gauge up and no event yet/);
    expect(f?.evidence?.dropped).toMatch(/with the gauge up and no event yet/);
  });

  it('endless: the stream deadline ends it, and the verdict says so', async () => {
    const { report } = await runJson(['stream', '--local', '--fault', 'endless', '--stream-timeout', '1000', '--no-log', '--skip', 'sse.disconnect']);
    const done = findingsOf(report).find((f) => f.id === 'sse.done');
    expect(done?.observed).toMatch(/ended: deadline at 1\d\d\d ms/);
    expect(done?.remedy).toMatch(/never end/);
  });
});
