/**
 * When an open-loop load starts each stream: arrivals at `rate` streams/s regardless of how long
 * streams take, as independent users arrive. `poisson` draws exponential gaps (a Poisson
 * process); `constant` spaces them evenly. With `rampMs` the rate rises linearly from 0 to `rate`
 * over the ramp, then holds. Seeded, so a run can be repeated arrival for arrival.
 *
 * Both are one construction: the k-th arrival is where the integrated rate Λ(t) = ∫₀ᵗ λ reaches
 * S_k, with S_k = k (constant) or a sum of k unit exponentials (Poisson, by time rescaling).
 */

export interface ArrivalPlan {
  /** Streams per second once ramped. */
  rate: number;
  arrival: 'poisson' | 'constant';
  seed: number;
  rampMs: number;
}

/** A small, fast, seedable PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The arrival times, ms from the start, in order; endless (the caller stops at its window). */
export function* arrivals(plan: ArrivalPlan): Generator<number, never> {
  const random = mulberry32(plan.seed);
  const perMs = plan.rate / 1000;
  const ramp = plan.rampMs;
  // Λ at the end of the ramp: the expected number of arrivals during it.
  const rampArrivals = (perMs * ramp) / 2;
  let s = 0;
  for (;;) {
    // 1 - random() is in (0, 1]: log never sees 0.
    s += plan.arrival === 'constant' ? 1 : -Math.log(1 - random());
    if (ramp > 0 && s < rampArrivals) yield Math.sqrt((2 * ramp * s) / perMs);
    else yield ramp + (s - rampArrivals) / perMs;
  }
}

/** Arrivals due by `untilMs`, for tests and planning. */
export function arrivalsUntil(plan: ArrivalPlan, untilMs: number): number[] {
  const out: number[] = [];
  for (const t of arrivals(plan)) {
    if (t > untilMs) return out;
    out.push(t);
  }
  return out;
}
