/**
 * Open-loop arrivals: streams start on the seeded schedule of src/latency/arrivals.ts whatever
 * the earlier ones do, as users arrive, each in a free slot (at most `connections` in flight).
 * An arrival that finds no free slot, or a client too busy to start it on time, is late: both are
 * recorded, so a run where the client could not keep up is reported as such (achieved vs asked).
 */
import { arrivals } from '../../latency/arrivals.js';
import { LatencyHistogram } from './histogram.js';
import type { Slot } from './slot.js';
import type { ArrivalRecord, LoadPlan } from './types.js';

/** Starts per turn of the loop stop after this long, as in the closed loop's ramp. */
const SLICE_MS = 2;

export class OpenLoop {
  private readonly schedule: Generator<number, never>;
  private readonly free: Slot[];
  /** Scheduled times (ms from t0) of arrivals due but not started yet. */
  private readonly queue: number[] = [];
  private head = 0;
  private next: number;
  private scheduled = 0;
  private started = 0;
  private waited = 0;
  /** Arrivals (counted from the first) already counted as having waited. */
  private waitedUpTo = 0;
  private readonly late = new LatencyHistogram();
  private timer: NodeJS.Timeout | undefined;
  private immediate = false;
  private stopped = false;

  constructor(
    private readonly plan: NonNullable<LoadPlan['open']>,
    rampMs: number,
    private readonly windowMs: number,
    private readonly t0: number,
    slots: readonly Slot[],
    private readonly start: (slot: Slot, now: number) => void,
  ) {
    this.schedule = arrivals({ ...plan, rampMs });
    this.next = this.schedule.next().value;
    // Popped from the end: slot 0 first, so a short run uses the first agents' pools.
    this.free = [...slots].reverse();
  }

  /** Queue the arrivals due by now, start as many as slots allow, and set the timer for the next. */
  arrive(): void {
    this.immediate = false;
    if (this.stopped) return;
    const now = performance.now();
    const t = now - this.t0;
    while (this.next <= t && this.next < this.windowMs) {
      this.queue.push(this.next);
      this.scheduled++;
      this.next = this.schedule.next().value;
    }
    // The window closed: what is due and finds a free slot now still starts (a timer that fired
    // late is the client's lateness, recorded); what waits for a slot never starts.
    const closing = t >= this.windowMs;
    const until = now + SLICE_MS;
    while (this.head < this.queue.length) {
      const slot = this.free.pop();
      if (!slot) {
        // Every arrival queued now waited for a slot; each is counted once.
        const upTo = this.started + this.queue.length - this.head;
        this.waited += upTo - Math.max(this.waitedUpTo, this.started);
        this.waitedUpTo = upTo;
        break;
      }
      const at = this.queue[this.head++] as number;
      const startAt = performance.now();
      this.late.record(startAt - this.t0 - at);
      this.started++;
      this.start(slot, startAt);
      if (!closing && performance.now() >= until && this.head < this.queue.length) return this.soon();
    }
    if (closing) return this.stop();
    if (this.head === this.queue.length) (this.queue.length = 0), (this.head = 0);
    clearTimeout(this.timer);
    if (this.next < this.windowMs) this.timer = setTimeout(() => this.arrive(), Math.max(0, this.t0 + this.next - performance.now()));
  }

  /** A stream ended: its slot is free for the next arrival (queued ones start on the next turn). */
  release(slot: Slot): void {
    this.free.push(slot);
    if (this.head < this.queue.length) this.soon();
  }

  /** The window closed or the run was cut: no more arrivals (the queued ones never start). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  record(): ArrivalRecord {
    this.stop();
    // Arrivals the schedule placed in the window but nobody came round to queue (the window ended first).
    while (this.next < this.windowMs) {
      this.scheduled++;
      this.next = this.schedule.next().value;
    }
    const s = this.windowMs / 1000;
    const late = this.late.summary();
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      arrival: this.plan.arrival,
      seed: this.plan.seed,
      rate: this.plan.rate,
      scheduled: this.scheduled,
      askedRate: round(this.scheduled / s),
      started: this.started,
      achievedRate: round(this.started / s),
      lateP99Ms: late.count ? late.p99Ms : null,
      lateMaxMs: late.count ? late.maxMs : null,
      waitedForSlot: this.waited,
    };
  }

  private soon(): void {
    if (this.immediate) return;
    this.immediate = true;
    setImmediate(() => this.arrive());
  }
}
