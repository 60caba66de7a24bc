import type { JsonValue } from '../../core/finding.js';
import type { LatencyConfig } from '../../latency/config.js';
import type { BucketHistogramJson } from '../../prometheus/bucket-histogram.js';
import type { DoneMatcher } from '../../sse/done.js';
import type { Framing } from '../../sse/framer.js';

/** Everything a load run needs, resolved from the config (URL built, limits checked). */
export interface LoadPlan {
  /** The answer stream's full URL, query included (when the question travels in the URL). */
  url: string;
  /** The stream call's method: GET for EventSource, the app's fetch() method (e.g. POST) under `stream.transport: fetch`. */
  method: string;
  /** The fetch() call's body, the question rendered into `stream.body`; none for EventSource. */
  body?: string;
  /** How the body is framed: `sse`, or the fetch() call's `ndjson`. */
  framing: Framing;
  connections: number;
  rampMs: number;
  durationMs: number;
  graceMs: number;
  /** Connect and response-head deadline per stream. */
  timeoutMs: number;
  /** What the page's call puts on the wire (stream-call.ts `wireHeaders`), for every stream. */
  headers: Record<string, string>;
  done: readonly DoneMatcher[];
  /** One undici Agent per entry; `undefined` lets the kernel choose the source address. */
  localAddresses: ReadonlyArray<string | undefined>;
  ca?: string;
  /** Open loop: arrivals per second (ramped over rampMs); absent: closed loop over `connections`. */
  open?: { rate: number; arrival: 'poisson' | 'constant'; seed: number };
  /** What counts as content, tokens, the server's stamp, coalescing and the objectives: the stream section's. */
  latency: LatencyConfig;
}

/** How one stream ended. `done` is the only success; `aborted` (Ctrl-C) is not judged. */
export type Outcome = 'done' | 'aborted' | string;

/** A few streams, in full, for the audit log (never one line per stream). */
export interface StreamSample {
  slot: number;
  outcome: Outcome;
  startedAtMs: number;
  status?: number;
  firstEventMs?: number;
  doneMs?: number;
  endMs: number;
  events: number;
  bytes: number;
  error?: string;
}

export interface ClientUsage {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** CPU time over wall time; 100 = one core busy. */
  cpuPercent: number;
  rssBaselineBytes: number;
  rssPeakBytes: number;
  /** (peak RSS - baseline) / peak open streams. */
  kibPerStream: number | null;
  /** The client's own event-loop delay (perf_hooks monitorEventLoopDelay): latencies mean little if this is high. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The same after every slot had started: the cost of holding streams without opening any (null: never all started). */
  holdLoopDelayP99Ms: number | null;
}

/** The plain, serialisable record of a load run: what the rules judge and the audit log keeps. */
export interface LoadRecord {
  url: string;
  /** The stream call's method and framing (GET and sse for EventSource). */
  method: string;
  framing: Framing;
  connections: number;
  rampMs: number;
  durationMs: number;
  graceMs: number;
  sourceAddresses: number;
  startedAt: string;
  elapsedMs: number;
  /** Requests sent. */
  started: number;
  /** Streams that got a 200 response head. */
  opened: number;
  /** Streams whose done event was dispatched. */
  completed: number;
  failed: number;
  /** Failed streams by cause: refused, reset, timeout, dns, tls, http <status>, closed without done, cut at the deadline. */
  failures: Record<string, number>;
  /** Streams we aborted because the run was interrupted: neither success nor failure. */
  aborted: number;
  /** Most streams open at the same time (response head received, not yet ended). */
  peakOpen: number;
  /** When all `connections` streams were first open at once, ms since the start. */
  allOpenAtMs: number | null;
  events: number;
  eventsPerSecond: number;
  bytes: number;
  firstEvent: { [key: string]: JsonValue };
  done: { [key: string]: JsonValue };
  /** Across streams, HDR (exact to 1/128) for the findings: request → first content event, delivery gaps, request → done. */
  ttft: { [key: string]: JsonValue };
  itl: { [key: string]: JsonValue };
  e2e: { [key: string]: JsonValue };
  /** The same three over the fixed `le` buckets of src/prometheus/buckets.ts: add them across runs and workers. */
  buckets: { ttft: BucketHistogramJson; itl: BucketHistogramJson; e2e: BucketHistogramJson };
  /** Streams that ended with done and met every objective, of the streams judged (done or failed). */
  goodput: { good: number; judged: number; missed: Record<string, number>; slo: { [key: string]: JsonValue } };
  /** Streams whose content was coalesced (bursts of events, or many tokens per event). */
  coalescedStreams: number;
  /** Open loop only: arrivals asked for by the schedule in the window, started, and how late. */
  arrivals: ArrivalRecord | null;
  /** With a server stamp configured: arrival minus stamp for each stream's first content event and for every content event, and |client gap - server gap| per ITL gap. */
  stamps: { firstTokenArrivalMinusStamp: { [key: string]: JsonValue }; arrivalMinusStamp: { [key: string]: JsonValue }; itlError: { [key: string]: JsonValue } } | null;
  client: ClientUsage;
  samples: StreamSample[];
  /** Open, completed and failed streams over time, bounded (MAX_SERIES_POINTS), for the reports' charts. */
  overTime: { stepMs: number; points: Array<[number, number, number, number]> };
  interrupted: boolean;
}

export interface ArrivalRecord {
  arrival: 'poisson' | 'constant';
  seed: number;
  /** The asked rate once ramped, streams/s. */
  rate: number;
  /** Arrivals the schedule placed in the window, and the rate that makes over the window. */
  scheduled: number;
  askedRate: number;
  /** Arrivals started in the window, and the rate that makes. */
  started: number;
  achievedRate: number;
  /** Start time minus scheduled time (ms): the client's own lateness. */
  lateP99Ms: number | null;
  lateMaxMs: number | null;
  /** Arrivals that found every one of `connections` slots busy and waited. */
  waitedForSlot: number;
}

/** One scrape of the RAG's /metrics during the load. */
export interface ScrapeWindow {
  atMs: number;
  /** The scrape before the load: the gauge's starting level; its lag is not the load's. */
  baseline?: boolean;
  activeStreams?: number;
  /** p99 and max event-loop delay in the window since the previous scrape, above the sampling floor. */
  lagP99Ms?: number;
  lagMaxMs?: number;
  floorMs?: number;
  /** The window held no samples (another scraper reset the histogram just before). */
  emptyWindow?: boolean;
  error?: string;
}

export interface ScrapeRecord {
  url: string | null;
  /** Why nothing could be scraped, when so (no metrics path, 404, unreachable...). */
  unavailable?: string;
  /** The gauge or lag metrics are missing from the exposition. */
  missing: string[];
  windows: ScrapeWindow[];
}
