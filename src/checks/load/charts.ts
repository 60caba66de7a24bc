/** A load run as the reports chart it: both latency distributions and the streams over time, all bounded. */
import type { Distribution, LoadCharts } from '../../core/attachments.js';
import type { JsonValue } from '../../core/finding.js';
import type { LoadRecord, ScrapeRecord } from './types.js';

export function loadCharts(run: LoadRecord, scrape: ScrapeRecord): LoadCharts {
  return {
    kind: 'load-charts',
    connections: run.connections,
    durationMs: run.durationMs,
    firstEvent: distribution(run.firstEvent),
    done: distribution(run.done),
    overTime: run.overTime,
    serverActive: scrape.windows.filter((w) => w.activeStreams !== undefined).map((w) => [Math.round(w.atMs), w.activeStreams as number]),
  };
}

const num = (v: JsonValue | undefined) => (typeof v === 'number' ? v : null);

/** LatencyHistogram.toJSON() read back: its buckets are already [lowMs, highMs, count], at most 3,328 of them. */
function distribution(h: { [key: string]: JsonValue }): Distribution {
  const buckets = Array.isArray(h.buckets)
    ? h.buckets.filter((b): b is [number, number, number] => Array.isArray(b) && b.length === 3 && b.every((x) => typeof x === 'number'))
    : [];
  return { count: num(h.count) ?? 0, p50: num(h.p50), p95: num(h.p95), p99: num(h.p99), max: num(h.max), buckets };
}
