/**
 * The latency side of a load run, across all streams: TTFT, delivery gaps (ITL) and time to done
 * in HDR histograms (for the findings' percentiles) and over the fixed `le` buckets (for the
 * JSON, mergeable across runs and workers), goodput against the objectives, coalesced streams,
 * and with a server stamp configured, how far our arrival times are from the server's.
 */
import { streamTimes } from '../../latency/figures.js';
import { missedSlo, type Slo } from '../../latency/slo.js';
import { judgeCoalescing, type CoalescingConfig } from '../../latency/coalescing.js';
import type { ContentTimeline } from '../../latency/timeline.js';
import { BucketHistogram } from '../../prometheus/bucket-histogram.js';
import { GAP_BUCKETS_S, LATENCY_BUCKETS_S } from '../../prometheus/buckets.js';
import { LatencyHistogram } from './histogram.js';
import type { LoadRecord } from './types.js';

export class LatencyTally {
  private readonly ttft = new LatencyHistogram();
  private readonly itl = new LatencyHistogram();
  private readonly e2e = new LatencyHistogram();
  private readonly le = { ttft: new BucketHistogram(LATENCY_BUCKETS_S), itl: new BucketHistogram(GAP_BUCKETS_S), e2e: new BucketHistogram(LATENCY_BUCKETS_S) };
  private readonly lag = new LatencyHistogram();
  private readonly firstLag = new LatencyHistogram();
  private readonly itlError = new LatencyHistogram();
  private good = 0;
  private judged = 0;
  private coalesced = 0;
  private readonly missed: Record<string, number> = {};

  constructor(
    private readonly slo: Slo,
    private readonly coalescing: CoalescingConfig,
    private readonly stamped: boolean,
  ) {}

  /** One stream that ended (done or failed; aborted streams are not judged). */
  stream(t: ContentTimeline, done: boolean): void {
    if (t.firstContentMs >= 0) this.both(this.ttft, this.le.ttft, t.firstContentMs);
    for (const gap of t.deliveryGaps) this.both(this.itl, this.le.itl, gap);
    if (done && t.doneMs >= 0) this.both(this.e2e, this.le.e2e, t.doneMs);
    this.judged++;
    const missed = missedSlo(streamTimes(t), this.slo);
    if (missed.length === 0) this.good++;
    for (const m of missed) this.missed[m] = (this.missed[m] ?? 0) + 1;
    if (judgeCoalescing(t.deliverySizes, null, this.coalescing).coalesced) this.coalesced++;
    if (this.stamped) this.stamps(t);
  }

  record(): Pick<LoadRecord, 'ttft' | 'itl' | 'e2e' | 'buckets' | 'goodput' | 'coalescedStreams' | 'stamps'> {
    return {
      ttft: this.ttft.toJSON(),
      itl: this.itl.toJSON(),
      e2e: this.e2e.toJSON(),
      buckets: { ttft: this.le.ttft.toJSON(), itl: this.le.itl.toJSON(), e2e: this.le.e2e.toJSON() },
      goodput: { good: this.good, judged: this.judged, missed: this.missed, slo: { ...this.slo } },
      coalescedStreams: this.coalesced,
      stamps: this.stamped ? { firstTokenArrivalMinusStamp: this.firstLag.toJSON(), arrivalMinusStamp: this.lag.toJSON(), itlError: this.itlError.toJSON() } : null,
    };
  }

  private both(h: LatencyHistogram, le: BucketHistogram, ms: number): void {
    h.record(ms);
    le.observe(ms / 1000);
  }

  /** Arrival minus stamp per content event; per gap, how far the client's gap is from the server's. */
  private stamps(t: ContentTimeline): void {
    // A negative lag (clock offset between the processes) is recorded as 0; bench/README.md bounds the offset.
    for (const lag of t.stampLags) this.lag.record(Math.max(0, lag));
    if (t.stampLags.length > 0) this.firstLag.record(Math.max(0, t.stampLags[0] as number));
    if (t.stampGaps.length !== t.eventGaps.length) return; // an event without a stamp: gaps do not pair up
    t.eventGaps.forEach((gap, i) => {
      this.itlError.record(Math.abs(gap - (t.stampGaps[i] as number)));
    });
  }
}
