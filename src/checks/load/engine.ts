/**
 * Holds answer streams open for a while. Open loop (`plan.open`): streams start on the arrival
 * schedule (OpenLoop) whatever earlier ones do, each in a free one of the N slots. Closed loop: each of the N slots starts (ramped over
 * rampMs), and when its stream ends with done it opens the next one at once, until the window
 * (durationMs) closes; a slot whose stream failed stays closed, as a browser's EventSource does
 * after a non-200 answer. Streams still open graceMs after the window are cut, so the run always
 * ends by itself. One timer serves all slots; work is sliced so the loop never stalls for long.
 */
import Agent from 'undici/lib/dispatcher/agent.js';
import type { Dispatcher } from 'undici';
import type { EventSourceMessage } from 'eventsource-parser';
import type { LatencyConfig } from '../../latency/config.js';
import { compileDoneRule } from '../../sse/done.js';
import type { Framing } from '../../sse/framer.js';
import { OpenLoop } from './open-loop.js';
import { Slot, type SlotHost, type StopReason } from './slot.js';
import { LoadTally } from './tally.js';
import type { LoadPlan, LoadRecord, Outcome } from './types.js';

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
/** After cutting, how long we wait for undici to report every stream ended. */
const SETTLE_MS = 2000;
const TICK_MS = 10;
const SWEEP_MS = 100;
const PROGRESS_MS = 250;
/** Connects per turn of the loop stop after this long: the client's own loop delay stays near it. */
const SLICE_MS = 2;
/** undici's pool scans its connections for a free one on every request: keep each pool small. */
const STREAMS_PER_AGENT = 250;
const MAX_HEADER_BYTES = 64 * 1024;

/** Reads the run's tally while it runs (load --metrics-listen). */
export interface LoadWatcher {
  attach(tally: LoadTally, plan: LoadPlan): void;
}

export function runLoad(plan: LoadPlan, signal: AbortSignal, onProgress?: (p: LoadProgress) => void, watcher?: LoadWatcher): Promise<LoadRecord> {
  return new LoadEngine(plan, signal, onProgress, watcher).run();
}

class LoadEngine implements SlotHost {
  readonly url: string;
  readonly timeoutMs: number;
  readonly isDone: (m: EventSourceMessage) => boolean;
  readonly latency: LatencyConfig;
  readonly framing: Framing;
  private open: OpenLoop | undefined;
  private readonly agents: Agent[];
  private readonly slots: Slot[];
  private readonly opts: Dispatcher.DispatchOptions;
  private readonly restartQueue: Slot[] = [];
  private tally!: LoadTally;
  private windowEnd = 0;
  private active = 0;
  private rampedTo = 0;
  private rampScheduled = false;
  private stopping: StopReason | undefined;
  private lastSweep = -Infinity;
  private lastProgress = -Infinity;

  constructor(
    private readonly plan: LoadPlan,
    private readonly signal: AbortSignal,
    private readonly onProgress?: (p: LoadProgress) => void,
    private readonly watcher?: LoadWatcher,
  ) {
    this.url = plan.url;
    this.timeoutMs = plan.timeoutMs;
    this.isDone = compileDoneRule(plan.done);
    this.latency = plan.latency;
    this.framing = plan.framing;
    const sources = plan.localAddresses;
    const count = Math.max(sources.length, Math.ceil(plan.connections / STREAMS_PER_AGENT));
    const perAgent = Math.ceil(plan.connections / count);
    this.agents = Array.from(
      { length: count },
      (_, i) =>
        new Agent({
          connections: perAgent,
          pipelining: 1,
          maxHeaderSize: MAX_HEADER_BYTES,
          headersTimeout: plan.timeoutMs,
          bodyTimeout: 0, // an answer may pause between tokens; the run's deadline bounds it
          keepAliveTimeout: 10_000,
          localAddress: sources[i % sources.length],
          connect: { timeout: plan.timeoutMs, ...(plan.ca ? { ca: plan.ca } : {}) },
        }),
    );
    const url = new URL(plan.url);
    // One request description for every stream; a body is encoded once and only read by undici.
    const body = plan.body === undefined ? undefined : Buffer.from(plan.body);
    this.opts = { origin: url.origin, path: url.pathname + url.search, method: plan.method, headers: plan.headers, ...(body && { body }) };
    this.slots = Array.from({ length: plan.connections }, (_, i) => new Slot(i, this));
  }

  async run(): Promise<LoadRecord> {
    const t0 = performance.now();
    this.tally = new LoadTally(this.plan, t0);
    this.watcher?.attach(this.tally, this.plan);
    this.windowEnd = t0 + this.plan.durationMs;
    const hardEnd = this.windowEnd + this.plan.graceMs;
    await new Promise<void>((resolve) => {
      const onAbort = () => this.stopAll('aborted');
      this.signal.addEventListener('abort', onAbort, { once: true });
      if (this.signal.aborted) onAbort();
      const timer = setInterval(() => {
        const now = performance.now();
        if (!this.open) this.ramp(now);
        this.sweep(now);
        if (now >= hardEnd) this.stopAll('cut');
        if ((now >= this.windowEnd || this.stopping) && this.active === 0) {
          clearInterval(timer);
          this.signal.removeEventListener('abort', onAbort);
          resolve();
        }
      }, TICK_MS);
      if (this.plan.open) {
        this.open = new OpenLoop(this.plan.open, this.plan.rampMs, this.plan.durationMs, t0, this.slots, (slot, now) => this.startSlot(slot, now));
        this.open.arrive();
      } else this.ramp(t0);
    });
    await this.settle();
    if (this.open) this.tally.arrivals = this.open.record();
    return this.tally.record(this.stopping === 'aborted');
  }

  /** Start the slots due by now (slot i at i * rampMs / N), SLICE_MS of connects per turn of the loop. */
  private ramp(now: number): void {
    this.rampScheduled = false;
    const n = this.plan.connections;
    if (this.rampedTo >= n || this.stopping || now >= this.windowEnd) return;
    const due = this.plan.rampMs === 0 ? n : Math.min(n, Math.floor(((now - this.tally.t0 + 1) * n) / this.plan.rampMs) + 1);
    const until = now + SLICE_MS;
    while (this.rampedTo < due) {
      this.startSlot(this.slots[this.rampedTo++] as Slot, now);
      if (performance.now() >= until) break;
    }
    if (this.rampedTo === n) this.tally.allStarted();
    if (this.rampedTo < due && !this.rampScheduled) {
      this.rampScheduled = true;
      setImmediate(() => this.ramp(performance.now()));
    }
  }

  private startSlot(slot: Slot, now: number): void {
    this.tally.started++;
    this.active++;
    slot.start(this.agents[slot.index % this.agents.length] as Agent, this.opts, now);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    this.tally.sampleRss();
    for (const slot of this.slots) {
      if (slot.active && slot.doneAt > 0 && now - slot.doneAt > CLOSE_AFTER_DONE_MS) slot.stop('after-done');
    }
    if (now - this.lastProgress >= PROGRESS_MS && this.onProgress) {
      this.lastProgress = now;
      const t = this.tally;
      const ramping = this.open ? now - t.t0 < this.plan.rampMs : this.rampedTo < this.plan.connections;
      const phase = now >= this.windowEnd || this.stopping ? 'drain' : ramping ? 'ramp' : 'hold';
      this.onProgress({ elapsedMs: now - t.t0, connections: this.plan.connections, started: t.started, open: t.open, completed: t.completed, failed: t.failed, phase });
    }
  }

  /**
   * Cut every open stream in one pass: the server should see every close as soon as possible, and
   * nothing else is measured any more. Requests still waiting for a socket end with the agents.
   */
  private stopAll(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = reason;
    this.open?.stop();
    this.tally.stopLoopMonitor();
    this.restartQueue.length = 0;
    // Each aborted request gets an error from undici; nobody reads their stacks, and capturing
    // 10,000 of them costs a third of a second.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (const slot of this.slots) slot.stop(reason);
      for (const agent of this.agents) void agent.destroy().catch(() => undefined);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** Wait (bounded) for undici to report every stream ended, then release every socket. */
  private async settle(): Promise<void> {
    const until = performance.now() + SETTLE_MS;
    while (this.active > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.tally.stopLoopMonitor();
    await Promise.all(this.agents.map((a) => a.destroy().catch(() => undefined)));
  }

  opened(): void {
    this.tally.streamOpened(performance.now());
  }

  firstEvent(_slot: Slot, ms: number): void {
    this.tally.recordFirstEvent(ms);
  }

  done(_slot: Slot, ms: number): void {
    this.tally.recordDone(ms);
  }

  events(count: number, bytes: number): void {
    this.tally.events += count;
    this.tally.bytes += bytes;
  }

  ended(slot: Slot, outcome: Outcome, error?: string): void {
    this.active--;
    this.tally.streamEnded(slot, outcome, error);
    if (this.open) return this.open.release(slot);
    if (outcome === 'done' && !this.stopping && performance.now() < this.windowEnd) this.restart(slot);
  }

  /** Re-open on the next turn of the loop, never inside undici's callback. */
  private restart(slot: Slot): void {
    this.active++;
    if (this.restartQueue.push(slot) > 1) return;
    setImmediate(() => {
      const now = performance.now();
      for (const s of this.restartQueue.splice(0)) {
        this.active--;
        if (!this.stopping && now < this.windowEnd) this.startSlot(s, now);
      }
    });
  }
}
