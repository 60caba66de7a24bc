/**
 * The reference server's stream faults and the verdict each must trip, for both transports the
 * `stream` command reads an answer with: EventSource (test/integration/stream.test.ts) and fetch()
 * in SSE and NDJSON framing (test/integration/stream-fetch.test.ts). One table, so a fault's
 * expected verdict is written once; where a transport sees more, or only one has the case, the
 * row says so and why.
 */
import { expect } from 'vitest';
import { type CliResult, configArgs, type JsonReport, notPassing } from './cli.js';

export type Transport = 'eventsource' | 'fetch';

interface FaultRow {
  fault: string;
  /** The finding the fault must trip, with its status and the run's exit code. */
  id: string;
  status: 'fail' | 'warn';
  code: 0 | 1;
  /** Other ids allowed to fail or warn in the same run (default: none); per transport where they differ. */
  allowed?: RegExp | Partial<Record<Transport, RegExp>>;
  /** A `stream` config section that shortens what the fault would otherwise make the run wait for. */
  stream?: object;
  args?: string[];
  /** Only this transport has the case. */
  only?: Transport;
}

const NONE = /^$/;
const DISCONNECT_800 = { disconnect: { deadlineMs: 800 } };

const ROWS: readonly FaultRow[] = [
  { fault: 'no-done', id: 'sse.done', status: 'fail', code: 1 },
  { fault: 'endless', id: 'sse.done', status: 'fail', code: 1, args: ['--stream-timeout', '1500'] },
  { fault: 'wrong-content-type', id: 'sse.content-type', status: 'fail', code: 1, allowed: { eventsource: /^sse\.reconnect$/ } },
  // gzip and buffered pace the answer like a model (>= 2 s, whatever the pace), so the default thresholds judge the burst.
  // The burst also reads as coalesced (sse.itl), and the first token is as late as the burst (sse.ttft, ~2 s).
  { fault: 'gzip', id: 'sse.buffering', status: 'fail', code: 1, allowed: /^sse\.(content-encoding|itl|ttft)$/ },
  { fault: 'gzip', id: 'sse.content-encoding', status: 'warn', code: 1, allowed: /^sse\.(buffering|itl|ttft)$/ },
  { fault: 'buffered', id: 'sse.buffering', status: 'fail', code: 1, allowed: /^sse\.(itl|ttft)$/ },
  { fault: 'buffered', id: 'sse.itl', status: 'warn', code: 1, allowed: /^sse\.(buffering|ttft)$/, only: 'eventsource' },
  { fault: 'ignore-disconnect', id: 'sse.disconnect.cleanup', status: 'fail', code: 1, stream: DISCONNECT_800 },
  // No event arrives before the end: the probe drops the stream after dropAfterMs with the gauge up.
  {
    fault: 'gzip-ignore-disconnect',
    id: 'sse.disconnect.cleanup',
    status: 'fail',
    code: 1,
    allowed: /^sse\.(content-encoding|buffering|itl|ttft)$/,
    stream: DISCONNECT_800,
    only: 'eventsource',
  },
  { fault: 'no-cache-header', id: 'sse.cache-control', status: 'warn', code: 0 },
  { fault: 'error-event', id: 'sse.protocol', status: 'fail', code: 1 },
  { fault: 'event-after-done', id: 'sse.done', status: 'fail', code: 1, allowed: /^sse\.protocol$/ },
  { fault: 'slow-first-event=600', id: 'sse.first-event', status: 'warn', code: 0, stream: { firstEventMs: 200 } },
  { fault: 'malformed-json', id: 'sse.protocol', status: 'fail', code: 1 },
  { fault: 'reset-mid-stream', id: 'sse.done', status: 'fail', code: 1, allowed: { fetch: /^sse\.protocol$/ } },
  { fault: 'stream-no-cors', id: 'sse.cors', status: 'fail', code: 1 },
  { fault: 'empty-query-500', id: 'sse.empty-query', status: 'fail', code: 1 },
  // The first event (metadata) comes at once: only the time to the first token shows the wait.
  { fault: 'slow-first-token', id: 'sse.ttft', status: 'fail', code: 1, only: 'eventsource' },
  { fault: 'slow-first-token=1500', id: 'sse.ttft', status: 'fail', code: 1, stream: { slo: { ttftMs: 1000 } }, only: 'eventsource' },
  { fault: 'stalls', id: 'sse.itl', status: 'fail', code: 1, only: 'eventsource' },
  { fault: 'stalls=1500', id: 'sse.gaps', status: 'fail', code: 1, allowed: /^sse\.itl$/, stream: { maxGapMs: 1000 }, only: 'eventsource' },
  // `*` is refused only for a credentialed request: fetch() sends credentials (`include`); EventSource without
  // withCredentials passes (docs/checks.md, rag-wildcard).
  { fault: 'rag-wildcard', id: 'sse.cors', status: 'fail', code: 1, only: 'fetch' },
];

/** The transport's fault cases as `it.each` rows: fault, id, status, exit code, other ids allowed to fail or warn, extra args. */
export function faultCases(transport: Transport, dir: string): [string, string, 'fail' | 'warn', number, RegExp, string[]][] {
  return ROWS.filter((r) => r.only === undefined || r.only === transport).map((r) => {
    const allowed = r.allowed instanceof RegExp ? r.allowed : (r.allowed?.[transport] ?? NONE);
    const extra = [...(r.args ?? []), ...(r.stream ? configArgs(dir, r.fault, { stream: r.stream }) : [])];
    return [r.fault, r.id, r.status, r.code, allowed, extra];
  });
}

/** The run tripped `id` with `status` (and a remedy), nothing but `allowed` else fails or warns, and it exited `code`. */
export function expectTripped(run: { result: CliResult; report: JsonReport }, id: string, status: string, code: number, allowed: RegExp): void {
  const f = run.report.findings.find((x) => x.id === id);
  expect(f?.status, `${id}: ${f?.observed}`).toBe(status);
  expect(f?.remedy).toBeTruthy();
  expect(
    notPassing(run.report)
      .filter((x) => x.id !== id && !allowed.test(x.id))
      .map((x) => `${x.id} ${x.status}: ${x.observed}`),
  ).toEqual([]);
  expect(run.result.code, run.result.stderr).toBe(code);
}
