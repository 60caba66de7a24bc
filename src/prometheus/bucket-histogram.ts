/**
 * A histogram over fixed upper bounds (`le`, seconds), kept exactly as Prometheus would: a value
 * lands in the first bucket whose bound is >= it. Fixed memory, one binary search per value, so
 * it can sit on a hot path (load's streams) and be written out at every scrape.
 */
import type { ExpositionWriter, Labels } from './writer.js';

export class BucketHistogram {
  /** counts[i]: values in (bounds[i-1], bounds[i]]; the last slot holds values above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

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
    this.count++;
  }

  write(w: ExpositionWriter, name: string, labels: Labels = {}): void {
    w.histogram(name, labels, this.bounds, this.counts, this.sum, this.count);
  }
}
