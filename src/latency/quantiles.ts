/** Exact order statistics of one stream's few hundred gaps (the load's many streams use histograms). */

/** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export interface Distribution {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** p50/p90/p99/max/mean of `values` in ms, rounded to the µs; nulls when empty (JSON has no NaN). */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: r3(percentile(sorted, 50)),
    p90: r3(percentile(sorted, 90)),
    p99: r3(percentile(sorted, 99)),
    max: r3(sorted[sorted.length - 1] as number),
    mean: r3(sum / sorted.length),
  };
}
