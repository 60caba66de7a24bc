import type { JsonValue } from '../../core/finding.js';
import type { DoneMatcher } from '../../sse/done.js';

/** Everything a load run needs, resolved from the config (URL built, limits checked). */
export interface LoadPlan {
  /** The answer stream's full URL, query included. */
  url: string;
  connections: number;
  rampMs: number;
  durationMs: number;
  graceMs: number;
  /** Connect and response-head deadline per stream. */
  timeoutMs: number;
  headers: Record<string, string>;
  done: readonly DoneMatcher[];
  /** One undici Agent per entry; `undefined` lets the kernel choose the source address. */
  localAddresses: ReadonlyArray<string | undefined>;
  ca?: string;
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
  client: ClientUsage;
  samples: StreamSample[];
  interrupted: boolean;
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
