/**
 * Reading prom-client's event-loop delay histogram from one scrape. prom-client resets the
 * histogram at every scrape, so a scrape reports the window since the previous one.
 */
import { type Exposition, sampleValue } from './exposition.js';
import { LAG } from './names.js';

export type LagReading =
  /** Neither the histogram nor the instantaneous gauge is exposed. */
  | { kind: 'absent' }
  /** Reset by another scraper just before ours: no samples, nothing to say about this window. */
  | { kind: 'empty' }
  /** `seconds` is the raw value of `metric`; `floorS` the sampling floor under it (0 when unknown or not a histogram). */
  | { kind: 'value'; metric: string; seconds: number; floorS: number; maxS?: number };

/**
 * The lag above the sampling floor: the histogram's p99 when exposed, else the instantaneous gauge.
 * `requireMax`: the p99 counts only with its max beside it (load's windows report both).
 */
export function readLag(exp: Exposition, options: { requireMax?: boolean } = {}): LagReading {
  const p99 = sampleValue(exp, LAG.p99);
  const max = sampleValue(exp, LAG.max);
  if (p99 === undefined || (options.requireMax && max === undefined)) {
    if (options.requireMax) return { kind: 'absent' };
    const instant = sampleValue(exp, LAG.instant);
    return instant === undefined ? { kind: 'absent' } : { kind: 'value', metric: LAG.instant, seconds: instant, floorS: 0, ...(max !== undefined && { maxS: max }) };
  }
  const mean = sampleValue(exp, LAG.mean);
  // Right after another scrape the histogram is empty (max 0, mean NaN) and p99 means nothing.
  if (max === 0 || (mean !== undefined && Number.isNaN(mean))) return { kind: 'empty' };
  return { kind: 'value', metric: LAG.p99, seconds: p99, floorS: samplingFloor(exp, p99), ...(max !== undefined && { maxS: max }) };
}

/**
 * monitorEventLoopDelay records whole timer intervals, so every sample includes the sampling
 * resolution (prom-client's eventLoopMonitoringPrecision, 10 ms by default: an idle process
 * reports p99 >= 10.1 ms); lag is what lies above it. The resolution is a whole number of ms
 * (Node validates it as an integer) no larger than the smallest sample, so floor(min) bounds it.
 */
function samplingFloor(exp: Exposition, p99: number): number {
  const min = sampleValue(exp, LAG.min);
  if (min === undefined || !Number.isFinite(min) || min < 0 || min > p99) return 0;
  return Math.floor(min * 1000) / 1000;
}
