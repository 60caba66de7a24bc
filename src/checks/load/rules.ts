/**
 * Pure judges of a load run: the record of what the client saw and the windows scraped from the
 * RAG's /metrics, against the contract's thresholds. A saved audit log can be judged again.
 */
import { finding, type Finding, type JsonValue } from '../../core/finding.js';
import type { Slo } from '../../latency/slo.js';
import { clientSaturation, type ClientBounds } from '../../latency/saturation.js';
import { judgeGoodput, judgeLatency } from './latency-rules.js';
import type { LoadRecord, ScrapeRecord, ScrapeWindow } from './types.js';

export interface LoadThresholds {
  successRate: number;
  firstEventP99Ms: number;
  eventLoopLagMs: number;
  goodput: number;
  slo: Slo;
  client: ClientBounds;
}

/** Transport causes that mean nothing answered at all (exit 3 when no stream ever opened). */
const UNREACHABLE = new Set(['refused', 'dns', 'tls', 'timeout']);

export function judgeLoad(run: LoadRecord, scrape: ScrapeRecord, t: LoadThresholds): Finding[] {
  const saturated = saturation(run, t.client);
  // Whether streams ended with done is not a timing: the success rate stands as observed.
  const timed = (f: Finding) => (saturated && f.status !== 'skip' ? inconclusive(f, saturated) : f);
  return [judgeSuccess(run, scrape, t), timed(judgeFirstEvent(run, t)), ...judgeLatency(run, t.slo).map(timed), timed(judgeGoodput(run, t.goodput)), judgeLag(run, scrape, t)];
}

/** Why the client's own numbers cannot be trusted, or undefined. */
export function saturation(run: LoadRecord, bounds: ClientBounds): string | undefined {
  const a = run.arrivals;
  const reasons = clientSaturation(
    { loopDelayP99Ms: run.client.loopDelayP99Ms, cpuPercent: run.client.cpuPercent, ...(a && { askedRate: a.askedRate, achievedRate: a.achievedRate }) },
    bounds,
  );
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * A verdict the client's saturation makes worthless, either way: a skip that says so, never a
 * server failure (vllm#39963). The verdict it would have had stays in the evidence.
 */
function inconclusive(f: Finding, why: string): Finding {
  return finding({
    ...f,
    status: 'skip',
    severity: 'info',
    title: `inconclusive: the load client saturated (${f.title})`,
    expected: f.expected,
    observed: `${why}; the latencies measured are partly the client's own queueing, so this run proves nothing about the server (was ${f.status}: ${f.observed})`,
    remedy: 'run fewer streams or a lower --rate per client, or spread the load over several clients (machines or processes)',
    evidence: { ...f.evidence, inconclusive: why, wouldBe: f.status },
    ...(f.unreachable ? { unreachable: f.unreachable } : {}),
  });
}

const pct = (v: number) => `${(v * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
const ms = (v: unknown) => (typeof v === 'number' ? `${v < 10 ? v.toFixed(2) : Math.round(v)} ms` : 'n/a');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function skip(id: string, title: string, reason: string): Finding {
  return finding({ id, target: 'rag', status: 'skip', title, expected: 'a load run to judge', observed: reason });
}

function causes(run: LoadRecord): string {
  return Object.entries(run.failures)
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${cause}: ${n}`)
    .join(', ');
}

export function peakActiveStreams(scrape: ScrapeRecord): number | undefined {
  const values = scrape.windows.map((w) => w.activeStreams).filter((v): v is number => v !== undefined);
  return values.length ? Math.max(...values) : undefined;
}

const REMEDIES: Array<[RegExp, string]> = [
  [/^http 5/, "the service refuses streams under load: raise its concurrency limit (uvicorn --limit-concurrency, workers, the proxy's max connections) or scale out"],
  [/^http /, 'the stream endpoint answers an error under load: check rate limiting and authentication in front of it'],
  [/^refused/, 'connections are refused: the listen backlog or a connection limit in front of the service is too small for this many streams'],
  [/^reset/, 'connections are reset mid-stream: look for a proxy or worker limit that drops streams (idle timeouts, max connections, memory)'],
  [/^timeout/, 'streams were not answered in time: the service or its proxy queues connections it cannot serve'],
  [/^cut/, 'streams did not finish within the run: answers take longer than --duration plus load.graceMs, or the service stalls under load'],
  [/without done/, 'streams closed before done: the service gives up on answers under load (timeouts, worker restarts)'],
];

function judgeSuccess(run: LoadRecord, scrape: ScrapeRecord, t: LoadThresholds): Finding {
  const id = 'load.success-rate';
  const title = `at least ${pct(t.successRate)} of ${run.connections} concurrent streams end with done`;
  const judged = run.completed + run.failed;
  if (judged === 0) return skip(id, title, run.interrupted ? 'interrupted before any stream ended' : 'no stream was started');
  const rate = run.completed / judged;
  const ok = rate >= t.successRate;
  const gauge = peakActiveStreams(scrape);
  const parts = [
    `${run.completed} of ${judged} streams ended with done (${pct(rate)})`,
    run.failed ? `failed: ${run.failed} (${causes(run)})` : 'none failed',
    `peak ${run.peakOpen} open at once${run.allOpenAtMs !== null ? ` (all ${run.connections} open after ${ms(run.allOpenAtMs)})` : ` (never all ${run.connections})`}`,
    ...(gauge !== undefined ? [`server gauge peak ${gauge}`] : []),
    ...(run.arrivals ? [`open loop: ${run.arrivals.achievedRate} of ${run.arrivals.askedRate} streams/s asked (${run.arrivals.arrival}, seed ${run.arrivals.seed})`] : []),
    `${run.eventsPerSecond} events/s`,
    `client CPU ${run.client.cpuPercent}%, RSS peak ${mib(run.client.rssPeakBytes)}`,
  ];
  if (run.aborted) parts.push(`${run.aborted} aborted by the interrupt (not judged)`);
  const top = Object.entries(run.failures).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const nothingAnswered = run.opened === 0 && run.failed > 0 && Object.keys(run.failures).every((c) => UNREACHABLE.has(c));
  return finding({
    id,
    target: 'rag',
    status: ok ? 'pass' : 'fail',
    // The headline number in the title: it is what a load run is for (JUnit names cases by id, not title).
    title: `${pct(rate)} of ${judged} streams ended with done, ${run.connections} at once (need >= ${pct(t.successRate)})`,
    expected: `>= ${pct(t.successRate)} of streams end with a dispatched done`,
    observed: parts.join('; '),
    remedy: ok ? undefined : (REMEDIES.find(([re]) => re.test(top))?.[1] ?? 'see the failed streams in the audit log'),
    evidence: summaryEvidence(run, gauge),
    ...(nothingAnswered ? { unreachable: true } : {}),
  });
}

function summaryEvidence(run: LoadRecord, gauge: number | undefined): { [key: string]: JsonValue } {
  return {
    url: run.url,
    method: run.method,
    framing: run.framing,
    startedAt: run.startedAt,
    connections: run.connections,
    rampMs: run.rampMs,
    durationMs: run.durationMs,
    started: run.started,
    opened: run.opened,
    completed: run.completed,
    failed: run.failed,
    failures: run.failures,
    aborted: run.aborted,
    peakOpen: run.peakOpen,
    allOpenAtMs: run.allOpenAtMs,
    serverActiveStreamsPeak: gauge ?? null,
    events: run.events,
    eventsPerSecond: run.eventsPerSecond,
    bytes: run.bytes,
    sourceAddresses: run.sourceAddresses,
    client: { ...run.client },
    arrivals: run.arrivals ? { ...run.arrivals } : null,
    semantics: run.arrivals
      ? `open loop: streams start on a seeded ${run.arrivals.arrival} schedule at ${run.arrivals.rate} streams/s (ramped over ${run.rampMs} ms) whatever earlier ones do, at most ${run.connections} in flight`
      : 'closed loop: N slots; a slot opens its next stream when the previous ends with done, until the window closes; a failed slot stays closed',
  };
}

function judgeFirstEvent(run: LoadRecord, t: LoadThresholds): Finding {
  const id = 'load.first-event-p99';
  const title = `time to first event under load, p99 <= ${t.firstEventP99Ms} ms`;
  const first = run.firstEvent;
  if (typeof first.count !== 'number' || first.count === 0) return skip(id, title, 'no stream delivered an event');
  const p99 = first.p99 as number;
  const ok = p99 <= t.firstEventP99Ms;
  const d = run.done;
  const line = (h: typeof first) => `p50 ${ms(h.p50)}, p95 ${ms(h.p95)}, p99 ${ms(h.p99)}, max ${ms(h.max)}`;
  const doneText = typeof d.count === 'number' && d.count > 0 ? `; to done: ${line(d)}` : '';
  const clientBusy = run.client.loopDelayP99Ms > 10 ? ` (the client's own event loop lagged, p99 ${ms(run.client.loopDelayP99Ms)}: part of this is ours)` : '';
  return finding({
    id,
    target: 'rag',
    status: ok ? 'pass' : 'fail',
    title: `time to first event under load: p99 ${ms(p99)} (limit ${t.firstEventP99Ms} ms)`,
    expected: `p99 of request-to-first-event <= ${t.firstEventP99Ms} ms over all streams`,
    observed: `first event: ${line(first)} over ${first.count} streams${doneText}${clientBusy}`,
    remedy: ok ? undefined : 'the service is slow to start answers under load: look at queueing before generation (workers, connection pools, the model call)',
    evidence: { firstEvent: first, done: d, clientLoopDelayP99Ms: run.client.loopDelayP99Ms },
  });
}

function judgeLag(run: LoadRecord, scrape: ScrapeRecord, t: LoadThresholds): Finding {
  const id = 'load.eventloop-lag';
  const title = `RAG event-loop lag under load <= ${t.eventLoopLagMs} ms`;
  if (scrape.unavailable) return skip(id, title, `not judged: ${scrape.unavailable}`);
  if (run.interrupted) return skip(id, title, 'not judged: the run was interrupted');
  const judged = scrape.windows.filter((w): w is ScrapeWindow & { lagP99Ms: number; lagMaxMs: number } => !w.baseline && w.lagP99Ms !== undefined && w.lagMaxMs !== undefined);
  if (judged.length === 0) {
    const lagMissing = scrape.missing.find((m) => m.includes('eventloop'));
    const reason = lagMissing ? `the RAG exposes no ${lagMissing} (not a Node service, or default metrics are off)` : 'no scrape window during the load held event-loop samples';
    return skip(id, title, `not judged: ${reason}`);
  }
  const worst = judged.reduce((a, b) => (b.lagP99Ms > a.lagP99Ms ? b : a));
  const max = Math.max(...judged.map((w) => w.lagMaxMs));
  const over = judged.filter((w) => w.lagP99Ms > t.eventLoopLagMs).length;
  const ok = worst.lagP99Ms <= t.eventLoopLagMs;
  const gauge = peakActiveStreams(scrape);
  return finding({
    id,
    target: 'rag',
    status: ok ? 'pass' : 'fail',
    title: `RAG event-loop lag under load: p99 ${ms(worst.lagP99Ms)} in the worst window (limit ${t.eventLoopLagMs} ms)`,
    expected: `nodejs_eventloop_lag_p99_seconds <= ${t.eventLoopLagMs} ms in every scrape window during the load (above the sampling floor)`,
    observed: `worst window p99 ${ms(worst.lagP99Ms)} at ${ms(worst.atMs)}, max ${ms(max)}; ${over} of ${judged.length} windows over the limit${gauge !== undefined ? `; active streams peak ${gauge}` : ''}`,
    remedy: ok
      ? undefined
      : 'something blocks the event loop while streams are served: move CPU-bound work (tokenising, JSON of large documents, sync I/O) off the loop, or run more workers',
    evidence: {
      metric: 'nodejs_eventloop_lag_p99_seconds',
      windows: scrape.windows.slice(0, 600).map((w) => ({ ...w }) as { [key: string]: JsonValue }),
      ...(scrape.windows.length > 600 ? { windowsOmitted: scrape.windows.length - 600 } : {}),
    },
  });
}
