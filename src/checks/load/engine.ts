/**
 * Holds N answer streams open for a while and counts what happened. Closed loop: each of the N
 * slots starts (ramped over rampMs), and when its stream ends with done it opens the next one at
 * once, until the window (durationMs) closes; a slot whose stream failed stays closed, as a
 * browser's EventSource does after a non-200 answer. Streams still open graceMs after the window
 * are cut; the run always ends by itself. One 100 ms sweep timer serves all slots.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Agent from 'undici/lib/dispatcher/agent.js';
import type { Dispatcher } from 'undici';
import type { EventSourceMessage } from 'eventsource-parser';
import { compileDoneRule } from './done.js';
import { LatencyHistogram } from './histogram.js';
import { Slot, type SlotHost, type StopReason } from './slot.js';
import type { LoadPlan, LoadRecord, Outcome, StreamSample } from './types.js';

export interface LoadProgress {
  elapsedMs: number;
  connections: number;
  started: number;
  open: number;
  completed: number;
  failed: number;
  /** 'ramp' | 'hold' | 'drain' (window over, waiting for open streams to finish). */
  phase: 'ramp' | 'hold' | 'drain';
}

/** done was seen but the server keeps the connection open: we close it, as the web app would. */
const CLOSE_AFTER_DONE_MS = 2000;
/** After cutting or destroying, how long we wait for undici to report every stream ended. */
const SETTLE_MS = 2000;
const SWEEP_MS = 100;
const PROGRESS_MS = 250;
const SAMPLES_PER_OUTCOME = 3;
const STARTS_PER_TURN = 100;
const MAX_HEADER_BYTES = 64 * 1024;

export function runLoad(plan: LoadPlan, signal: AbortSignal, onProgress?: (p: LoadProgress) => void): Promise<LoadRecord> {
  return new LoadEngine(plan, signal, onProgress).run();
}

class LoadEngine implements SlotHost {
  readonly url: string;
  readonly timeoutMs: number;
  readonly isDone: (m: EventSourceMessage) => boolean;
  private readonly agents: Agent[];
  private readonly slots: Slot[];
  private readonly opts: Dispatcher.DispatchOptions;
  private readonly firstEventHist = new LatencyHistogram();
  private readonly doneHist = new LatencyHistogram();
  private readonly failures: Record<string, number> = {};
  private readonly samples: StreamSample[] = [];
  private readonly sampled = new Map<Outcome, number>();
  private readonly restartQueue: Slot[] = [];
  private t0 = 0;
  private windowEnd = 0;
  private startedCount = 0;
  private openedCount = 0;
  private completed = 0;
  private failed = 0;
  private aborted = 0;
  private open = 0;
  private activeCount = 0;
  private peakOpen = 0;
  private allOpenAt: number | null = null;
  private eventCount = 0;
  private byteCount = 0;
  private rampedTo = 0;
  private rssPeak = 0;
  private stopping: StopReason | undefined;
  private lastProgress = 0;
  private lastSweep = -Infinity;
  private rampScheduled = false;

  constructor(
    private readonly plan: LoadPlan,
    private readonly signal: AbortSignal,
    private readonly onProgress?: (p: LoadProgress) => void,
  ) {
    this.url = plan.url;
    this.timeoutMs = plan.timeoutMs;
    this.isDone = compileDoneRule(plan.done);
    const perAgent = Math.ceil(plan.connections / plan.localAddresses.length);
    this.agents = plan.localAddresses.map(
      (localAddress) =>
        new Agent({
          connections: perAgent,
          pipelining: 1,
          maxHeaderSize: MAX_HEADER_BYTES,
          headersTimeout: plan.timeoutMs,
          bodyTimeout: 0, // an answer may pause between tokens; the run's deadline bounds it
          keepAliveTimeout: 10_000,
          localAddress,
          connect: { timeout: plan.timeoutMs, ...(plan.ca ? { ca: plan.ca } : {}) },
        }),
    );
    const url = new URL(plan.url);
    this.opts = { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers: plan.headers };
    this.slots = Array.from({ length: plan.connections }, (_, i) => new Slot(i, this));
  }

  async run(): Promise<LoadRecord> {
    const startedAt = new Date().toISOString();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const cpu0 = process.cpuUsage();
    const rss0 = process.memoryUsage.rss();
    this.rssPeak = rss0;
    loop.enable();
    this.t0 = performance.now();
    this.windowEnd = this.t0 + this.plan.durationMs;
    const hardEnd = this.windowEnd + this.plan.graceMs;

    await new Promise<void>((resolve) => {
      const onAbort = () => this.stopAll('aborted');
      this.signal.addEventListener('abort', onAbort, { once: true });
      if (this.signal.aborted) onAbort();
      const tick = () => {
        const now = performance.now();
        this.ramp(now);
        this.sweep(now);
        if (now >= hardEnd) this.stopAll('cut');
        if (this.finished(now)) {
          clearInterval(timer);
          this.signal.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const timer = setInterval(tick, this.plan.rampMs > 0 ? 10 : SWEEP_MS);
      tick();
    });
    await this.settle();
    loop.disable();
    const cpu = process.cpuUsage(cpu0);
    const elapsedMs = performance.now() - this.t0;
    return this.record(startedAt, elapsedMs, cpu, rss0, loop);
  }

  /**
   * Start the slots due by now (slot i at i * rampMs / N), at most STARTS_PER_TURN per turn of the
   * loop: 10,000 connects in one synchronous burst block the loop for a second, and the first
   * streams' events would wait behind the last streams' connects.
   */
  private ramp(now: number): void {
    this.rampScheduled = false;
    const n = this.plan.connections;
    if (this.rampedTo >= n || this.stopping || now >= this.windowEnd) return;
    const elapsed = now - this.t0;
    const due = this.plan.rampMs === 0 ? n : Math.min(n, Math.floor(((elapsed + 1) * n) / this.plan.rampMs) + 1);
    const stop = Math.min(due, this.rampedTo + STARTS_PER_TURN);
    while (this.rampedTo < stop) this.startSlot(this.slots[this.rampedTo++] as Slot, now);
    if (this.rampedTo < due && !this.rampScheduled) {
      this.rampScheduled = true;
      setImmediate(() => this.ramp(performance.now()));
    }
  }

  private startSlot(slot: Slot, now: number): void {
    this.startedCount++;
    this.activeCount++;
    slot.start(this.agents[slot.index % this.agents.length] as Agent, this.opts, now);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    const rss = process.memoryUsage.rss();
    if (rss > this.rssPeak) this.rssPeak = rss;
    for (const slot of this.slots) {
      if (slot.active && slot.doneAt > 0 && now - slot.doneAt > CLOSE_AFTER_DONE_MS) slot.stop('after-done');
    }
    if (now - this.lastProgress >= PROGRESS_MS) {
      this.lastProgress = now;
      this.onProgress?.(this.progress(now));
    }
  }

  private progress(now: number): LoadProgress {
    const phase = now >= this.windowEnd || this.stopping ? 'drain' : this.rampedTo < this.plan.connections ? 'ramp' : 'hold';
    return { elapsedMs: now - this.t0, connections: this.plan.connections, started: this.startedCount, open: this.open, completed: this.completed, failed: this.failed, phase };
  }

  private finished(now: number): boolean {
    return (now >= this.windowEnd || this.stopping !== undefined) && this.activeCount === 0 && this.restartQueue.length === 0;
  }

  private stopAll(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = reason;
    this.restartQueue.length = 0;
    for (const slot of this.slots) slot.stop(reason);
    // Requests still waiting for a connection have no abort handle: destroying the agents ends them.
    for (const agent of this.agents) void agent.destroy().catch(() => undefined);
  }

  /** Wait (bounded) for undici to report every stream ended, then release every socket. */
  private async settle(): Promise<void> {
    const until = performance.now() + SETTLE_MS;
    while (this.activeCount > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(this.agents.map((a) => a.destroy().catch(() => undefined)));
  }

  opened(): void {
    this.openedCount++;
    this.open++;
    if (this.open > this.peakOpen) this.peakOpen = this.open;
    if (this.allOpenAt === null && this.open >= this.plan.connections) this.allOpenAt = performance.now() - this.t0;
  }

  firstEvent(_slot: Slot, ms: number): void {
    this.firstEventHist.record(ms);
  }

  done(_slot: Slot, ms: number): void {
    this.doneHist.record(ms);
  }

  events(count: number, bytes: number): void {
    this.eventCount += count;
    this.byteCount += bytes;
  }

  ended(slot: Slot, outcome: Outcome, error?: string): void {
    this.activeCount--;
    if (slot.status === 200) this.open--;
    if (outcome === 'done') this.completed++;
    else if (outcome === 'aborted') this.aborted++;
    else {
      this.failed++;
      this.failures[outcome] = (this.failures[outcome] ?? 0) + 1;
    }
    this.sample(slot, outcome, error);
    if (outcome === 'done' && !this.stopping && performance.now() < this.windowEnd) this.restart(slot);
  }

  /** Re-open on the next turn of the loop, never inside undici's callback. */
  private restart(slot: Slot): void {
    this.activeCount++;
    if (this.restartQueue.push(slot) > 1) return;
    setImmediate(() => {
      const now = performance.now();
      for (const s of this.restartQueue.splice(0)) {
        this.activeCount--;
        if (!this.stopping && now < this.windowEnd) this.startSlot(s, now);
      }
    });
  }

  private sample(slot: Slot, outcome: Outcome, error?: string): void {
    const n = this.sampled.get(outcome) ?? 0;
    if (n >= SAMPLES_PER_OUTCOME) return;
    this.sampled.set(outcome, n + 1);
    const ms = (v: number) => Math.round(v * 100) / 100;
    this.samples.push({
      slot: slot.index,
      outcome,
      startedAtMs: ms(slot.startedAt - this.t0),
      ...(slot.status ? { status: slot.status } : {}),
      ...(slot.firstEventMs >= 0 ? { firstEventMs: ms(slot.firstEventMs) } : {}),
      ...(slot.doneMs >= 0 ? { doneMs: ms(slot.doneMs) } : {}),
      endMs: ms(performance.now() - slot.startedAt),
      events: slot.eventCount,
      bytes: slot.bytes,
      ...(error ? { error } : {}),
    });
  }

  private record(startedAt: string, elapsedMs: number, cpu: NodeJS.CpuUsage, rss0: number, loop: ReturnType<typeof monitorEventLoopDelay>): LoadRecord {
    const toMs = (ns: number) => Math.round(ns / 1e4) / 100;
    const grown = this.rssPeak - rss0;
    return {
      url: this.plan.url,
      connections: this.plan.connections,
      rampMs: this.plan.rampMs,
      durationMs: this.plan.durationMs,
      graceMs: this.plan.graceMs,
      sourceAddresses: this.plan.localAddresses.length,
      startedAt,
      elapsedMs: Math.round(elapsedMs),
      started: this.startedCount,
      opened: this.openedCount,
      completed: this.completed,
      failed: this.failed,
      failures: this.failures,
      aborted: this.aborted,
      peakOpen: this.peakOpen,
      allOpenAtMs: this.allOpenAt === null ? null : Math.round(this.allOpenAt),
      events: this.eventCount,
      eventsPerSecond: Math.round(this.eventCount / (elapsedMs / 1000)),
      bytes: this.byteCount,
      firstEvent: this.firstEventHist.toJSON(),
      done: this.doneHist.toJSON(),
      client: {
        cpuUserMs: Math.round(cpu.user / 1000),
        cpuSystemMs: Math.round(cpu.system / 1000),
        cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
        rssBaselineBytes: rss0,
        rssPeakBytes: this.rssPeak,
        kibPerStream: this.peakOpen > 0 ? Math.round((grown / 1024 / this.peakOpen) * 10) / 10 : null,
        // monitorEventLoopDelay's samples include its 1 ms timer interval; the delay is what lies above.
        loopDelayP99Ms: Math.max(0, toMs(loop.percentile(99)) - 1),
        loopDelayMaxMs: Math.max(0, toMs(loop.max) - 1),
      },
      samples: this.samples,
      interrupted: this.stopping === 'aborted',
    };
  }
}
