/**
 * A Prometheus-style histogram over fixed `le` buckets (src/prometheus/buckets.ts): counts per
 * bucket, count and sum, in seconds. Two of them over the same bounds add bucket by bucket, so
 * the JSON of many load workers merges exactly, and matches the exporter's series.
 */
import type { JsonValue } from '../core/finding.js';

export interface LeHistogramJson {
  [key: string]: JsonValue;
  unit: 's';
  /** Upper bounds, seconds; the last bucket (`+Inf`) is implied by `count`. */
  le: number[];
  /** Cumulative counts per bound, as Prometheus `_bucket{le=…}` (so `counts[i]` = values <= `le[i]`). */
  counts: number[];
  count: number;
  sum: number;
}

export class LeHistogram {
  private readonly buckets: Float64Array;
  private n = 0;
  private total = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.buckets = new Float64Array(bounds.length);
  }

  /** One value, in ms (stored in seconds, as published). */
  observeMs(ms: number): void {
    const s = ms / 1000;
    this.n++;
    this.total += s;
    // ~20 bounds: a linear scan is as fast as a binary search and branch-predictable.
    for (let i = 0; i < this.bounds.length; i++) {
      if (s <= (this.bounds[i] as number)) {
        this.buckets[i] = (this.buckets[i] ?? 0) + 1;
        return;
      }
    }
  }

  get count(): number {
    return this.n;
  }

  toJSON(): LeHistogramJson {
    let cum = 0;
    const counts = Array.from(this.buckets, (c) => (cum += c));
    return { unit: 's', le: [...this.bounds], counts, count: this.n, sum: Math.round(this.total * 1e6) / 1e6 };
  }
}

/** Add histograms published over the same bounds (several workers' JSON); throws on different bounds. */
export function mergeLeHistograms(parts: readonly LeHistogramJson[]): LeHistogramJson {
  const first = parts[0];
  if (!first) throw new Error('nothing to merge');
  const key = first.le.join(',');
  const out: LeHistogramJson = { unit: 's', le: [...first.le], counts: first.le.map(() => 0), count: 0, sum: 0 };
  for (const p of parts) {
    if (p.le.join(',') !== key) throw new Error('histograms over different buckets cannot be added');
    p.counts.forEach((c, i) => {
      out.counts[i] = (out.counts[i] ?? 0) + c;
    });
    out.count += p.count;
    out.sum += p.sum;
  }
  return out;
}
