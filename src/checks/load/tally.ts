/**
 * What a load run counts: streams by outcome, open streams, events, both latency histograms, a
 * few sample streams, and the client's own CPU, memory and event-loop delay. Fixed memory,
 * whatever the number of streams; `record()` turns it into the plain LoadRecord.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { BucketHistogram } from '../../prometheus/bucket-histogram.js';
import { LATENCY_BUCKETS_S } from '../../prometheus/buckets.js';
import { LatencyHistogram } from './histogram.js';
import { LatencyTally } from './latency-tally.js';
import { OverTime } from './over-time.js';
import type { Slot } from './slot.js';
import type { LoadPlan, LoadRecord, Outcome, StreamSample } from './types.js';

const SAMPLES_PER_OUTCOME = 3;
const ms2 = (v: number) => Math.round(v * 100) / 100;

export class LoadTally {
  started = 0;
  opened = 0;
  completed = 0;
  failed = 0;
  aborted = 0;
  open = 0;
  peakOpen = 0;
  allOpenAt: number | null = null;
  events = 0;
  bytes = 0;
  readonly firstEvent = new LatencyHistogram();
  readonly done = new LatencyHistogram();
  readonly latency: LatencyTally;
  /** Open loop: the arrivals' schedule, set by the engine at the end. */
  arrivals: LoadRecord['arrivals'] = null;
  /** The same values on the fixed published buckets (load --metrics-listen): they add up across workers. */
  readonly firstEventBuckets = new BucketHistogram(LATENCY_BUCKETS_S);
  readonly doneBuckets = new BucketHistogram(LATENCY_BUCKETS_S);
  private readonly failures: Record<string, number> = {};
  private readonly overTime = new OverTime();
  private readonly samples: StreamSample[] = [];
  private readonly sampled = new Map<Outcome, number>();
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  /** From the last slot's start on: holding streams, as opposed to opening them. */
  private readonly holdLoop: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  private holding = false;
  private readonly startedAt = new Date().toISOString();
  private readonly cpu0 = process.cpuUsage();
  private readonly rss0 = process.memoryUsage.rss();
  private rssPeak = this.rss0;
  private loopStopped = false;

  constructor(
    private readonly plan: LoadPlan,
    readonly t0: number,
  ) {
    this.loop.enable();
    this.latency = new LatencyTally(plan.latency.slo, plan.latency.coalescing, plan.latency.generatedAtField !== undefined);
  }

  streamOpened(now: number): void {
    this.opened++;
    if (++this.open > this.peakOpen) this.peakOpen = this.open;
    if (this.allOpenAt === null && this.open >= this.plan.connections) this.allOpenAt = now - this.t0;
    this.overTime.note(now - this.t0, this.open, this.completed, this.failed);
  }

  streamEnded(slot: Slot, outcome: Outcome, error?: string): void {
    if (slot.status === 200) this.open--;
    if (outcome !== 'aborted') this.latency.stream(slot.timeline, outcome === 'done');
    if (outcome === 'done') this.completed++;
    else if (outcome === 'aborted') this.aborted++;
    else {
      this.failed++;
      this.failures[outcome] = (this.failures[outcome] ?? 0) + 1;
    }
    this.sample(slot, outcome, error);
    this.overTime.note(performance.now() - this.t0, this.open, this.completed, this.failed);
  }

  recordFirstEvent(ms: number): void {
    this.firstEvent.record(ms);
    this.firstEventBuckets.observe(ms / 1000);
  }

  recordDone(ms: number): void {
    this.done.record(ms);
    this.doneBuckets.observe(ms / 1000);
  }

  /** Failed streams by cause, so far. */
  failuresByCause(): Readonly<Record<string, number>> {
    return this.failures;
  }

  /** The client's own loop delay so far (ms above the 1 ms sampling interval); 0 once the monitor stopped and nothing was sampled. */
  loopDelayMs(): { p99: number; max: number } {
    const delay = (ns: number) => Math.max(0, ns / 1e6 - 1);
    return { p99: delay(this.loop.percentile(99)), max: delay(this.loop.max) };
  }

  sampleRss(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.rssPeak) this.rssPeak = rss;
  }

  /** Every slot has started: from now on the loop only holds streams. */
  allStarted(): void {
    if (this.holding || this.loopStopped) return;
    this.holding = true;
    this.holdLoop.enable();
  }

  /** The client's loop delay is measured while streams are opened and held, not while we tear them down. */
  stopLoopMonitor(): void {
    if (this.loopStopped) return;
    this.loopStopped = true;
    this.loop.disable();
    this.holdLoop.disable();
  }

  private sample(slot: Slot, outcome: Outcome, error?: string): void {
    const n = this.sampled.get(outcome) ?? 0;
    if (n >= SAMPLES_PER_OUTCOME) return;
    this.sampled.set(outcome, n + 1);
    this.samples.push({
      slot: slot.index,
      outcome,
      startedAtMs: ms2(slot.startedAt - this.t0),
      ...(slot.status ? { status: slot.status } : {}),
      ...(slot.firstEventMs >= 0 ? { firstEventMs: ms2(slot.firstEventMs) } : {}),
      ...(slot.doneMs >= 0 ? { doneMs: ms2(slot.doneMs) } : {}),
      endMs: ms2(performance.now() - slot.startedAt),
      events: slot.eventCount,
      bytes: slot.bytes,
      ...(error ? { error } : {}),
    });
  }

  record(interrupted: boolean): LoadRecord {
    this.stopLoopMonitor();
    const elapsedMs = performance.now() - this.t0;
    const cpu = process.cpuUsage(this.cpu0);
    // monitorEventLoopDelay's samples include its 1 ms timer interval: the delay is what lies above.
    const delay = (ns: number) => Math.max(0, ms2(ns / 1e6 - 1));
    const p = this.plan;
    return {
      url: p.url,
      method: p.method,
      framing: p.framing,
      connections: p.connections,
      rampMs: p.rampMs,
      durationMs: p.durationMs,
      graceMs: p.graceMs,
      sourceAddresses: p.localAddresses.length,
      startedAt: this.startedAt,
      elapsedMs: Math.round(elapsedMs),
      started: this.started,
      opened: this.opened,
      completed: this.completed,
      failed: this.failed,
      failures: this.failures,
      aborted: this.aborted,
      peakOpen: this.peakOpen,
      allOpenAtMs: this.allOpenAt === null ? null : Math.round(this.allOpenAt),
      events: this.events,
      eventsPerSecond: Math.round(this.events / (elapsedMs / 1000)),
      bytes: this.bytes,
      firstEvent: this.firstEvent.toJSON(),
      done: this.done.toJSON(),
      ...this.latency.record(),
      arrivals: this.arrivals,
      client: {
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
        rssBaselineBytes: this.rss0,
        rssPeakBytes: this.rssPeak,
        // Includes the fixed costs (parser, JIT, buffers): meaningful at thousands of streams.
        kibPerStream: this.peakOpen > 0 ? Math.round(((this.rssPeak - this.rss0) / 1024 / this.peakOpen) * 10) / 10 : null,
        loopDelayP99Ms: delay(this.loop.percentile(99)),
        loopDelayMaxMs: delay(this.loop.max),
        holdLoopDelayP99Ms: this.holding ? delay(this.holdLoop.percentile(99)) : null,
      },
      samples: this.samples,
      overTime: this.overTime.toJSON(),
      interrupted,
    };
  }
}
