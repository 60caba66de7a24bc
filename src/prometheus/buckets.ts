/**
 * The fixed histogram buckets (upper bounds in seconds, Prometheus `le`) of every latency figure the
 * audit publishes: the JSON report's mergeable histograms (`load`), `load --metrics-listen` and the
 * exporter. One list, so a histogram from any of them adds bucket by bucket to any other, and
 * `histogram_quantile` over many workers is within one bucket of the merged truth.
 * Documented in docs/checks.md ("Latency figures and their buckets").
 */

/** Time to first byte / first event / first token and time to done: 5 ms … 2 min. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 60, 120] as const;

/** Gaps between content events (inter-token latency): 1 ms … 30 s. */
export const GAP_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30] as const;
