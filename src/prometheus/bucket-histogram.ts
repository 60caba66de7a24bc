/**
 * A histogram over fixed upper bounds (`le`, seconds; src/prometheus/buckets.ts), kept exactly as
 * Prometheus would: a value lands in the first bucket whose bound is >= it. Fixed memory, one
 * binary search per value, so it can sit on a hot path (load's streams). The one type behind every
 * fixed-bucket figure: written out at every scrape (`write`: the exporter, `load --metrics-listen`)
 * and published in the JSON report (`toJSON`: `load.buckets`), where histograms of many workers
 * over the same bounds add bucket by bucket (`mergeBucketHistograms`) and match the exporter's series.
 */
import type { JsonValue } from '../core/finding.js';
import type { ExpositionWriter, Labels } from './writer.js';

export interface BucketHistogramJson {
  [key: string]: JsonValue;
  unit: 's';
  /** Upper bounds, seconds; the last bucket (`+Inf`) is implied by `count`. */
  le: number[];
  /** Cumulative counts per bound, as Prometheus `_bucket{le=…}` (so `counts[i]` = values <= `le[i]`). */
  counts: number[];
  count: number;
  sum: number;
}

export class BucketHistogram {
  /** counts[i]: values in (bounds[i-1], bounds[i]]; the last slot holds values above every bound. */
  private readonly counts: Float64Array;
  private sum = 0;
  private n = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    let lo = 0;
    let hi = this.bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.bounds[mid] as number) >= seconds) hi = mid;
      else lo = mid + 1;
    }
    this.counts[lo] = (this.counts[lo] ?? 0) + 1;
    this.sum += seconds;
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  write(w: ExpositionWriter, name: string, labels: Labels = {}): void {
    w.histogram(name, labels, this.bounds, this.counts, this.sum, this.n);
  }

  toJSON(): BucketHistogramJson {
    let cum = 0;
    const counts = Array.from(this.counts.subarray(0, this.bounds.length), (c) => (cum += c));
    return { unit: 's', le: [...this.bounds], counts, count: this.n, sum: Math.round(this.sum * 1e6) / 1e6 };
  }
}

/** Add histograms published over the same bounds (several workers' JSON); throws on different bounds. */
export function mergeBucketHistograms(parts: readonly BucketHistogramJson[]): BucketHistogramJson {
  const first = parts[0];
  if (!first) throw new Error('nothing to merge');
  const key = first.le.join(',');
  const out: BucketHistogramJson = { unit: 's', le: [...first.le], counts: first.le.map(() => 0), count: 0, sum: 0 };
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
