/**
 * One of the N concurrent stream slots. The slot is its own undici dispatch handler (the legacy
 * onConnect/onHeaders/onData hooks, which undici calls directly without wrapping) and keeps its
 * event framer (SSE or NDJSON, src/sse/framer.ts) across streams, so a stream costs undici's
 * request object and the parsed event strings, nothing else: no per-stream timer, promise,
 * header copy or event list.
 */
import type { Dispatcher } from 'undici';
import type { EventSourceMessage } from 'eventsource-parser';
import { transportError } from '../../http/errors.js';
import { timelineFor, type LatencyConfig } from '../../latency/config.js';
import type { ContentTimeline } from '../../latency/timeline.js';
import { createEventFramer, type EventFramer, type FramerSink, type Framing } from '../../sse/framer.js';
import type { Outcome } from './types.js';

/** What the engine tracks for all slots; the slot reports to it and never keeps history. */
export interface SlotHost {
  readonly url: string;
  readonly timeoutMs: number;
  readonly latency: LatencyConfig;
  /** How the body is framed: the stream call's format (`sse` for EventSource). */
  readonly framing: Framing;
  isDone(m: EventSourceMessage): boolean;
  opened(slot: Slot): void;
  firstEvent(slot: Slot, ms: number): void;
  done(slot: Slot, ms: number): void;
  events(count: number, bytes: number): void;
  ended(slot: Slot, outcome: Outcome, error?: string): void;
}

/** Why the engine itself ended a stream. */
export type StopReason = 'cut' | 'aborted' | 'after-done';

/** A line or event larger than this is hostile, not an answer. */
const MAX_LINE = 1024 * 1024;

export class Slot implements Dispatcher.DispatchHandler, FramerSink {
  startedAt = 0;
  status = 0;
  eventCount = 0;
  bytes = 0;
  firstEventMs = -1;
  doneMs = -1;
  /** The engine's clock when done was seen; streams the server keeps open after done are closed by the engine. */
  doneAt = 0;
  active = false;
  stopReason: StopReason | undefined;
  private abortFn: ((err?: Error) => void) | undefined;
  private overflowed = false;
  private readonly framer: EventFramer;
  /** This stream's content events: TTFT, delivery gaps, done; reset per stream. */
  readonly timeline: ContentTimeline;
  /** When the read being parsed arrived: every event of one read shares it, as they share one delivery. */
  private chunkAt = 0;

  constructor(
    readonly index: number,
    private readonly host: SlotHost,
  ) {
    // Decoded and framed as the stream check's readers do (one feed: a CR-terminated done is dispatched here too).
    // The slot is the framer's sink itself: no callback object per slot.
    this.framer = createEventFramer(host.framing, this, MAX_LINE);
    this.timeline = timelineFor(host.latency);
  }

  /** Send the next request for this slot. */
  start(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions, now: number): void {
    this.startedAt = now;
    this.status = 0;
    this.eventCount = 0;
    this.bytes = 0;
    this.firstEventMs = -1;
    this.doneMs = -1;
    this.doneAt = 0;
    this.stopReason = undefined;
    this.abortFn = undefined;
    this.overflowed = false;
    this.framer.reset();
    // Epoch of the send, in the clock the reference server stamps with (performance.timeOrigin + now).
    this.timeline.reset(performance.timeOrigin + now);
    this.active = true;
    dispatcher.dispatch(opts, this);
  }

  /** End the stream from our side; without a socket yet, the agent's destroy ends it. */
  stop(reason: StopReason): void {
    if (!this.active || this.stopReason) return;
    this.stopReason = reason;
    this.abortFn?.(Object.assign(new Error(reason), { code: 'ZA_LOAD_STOP' }));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.stopReason) abort(new Error(this.stopReason));
  }

  onHeaders(status: number): boolean {
    this.status = status;
    if (status === 200) this.host.opened(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.status !== 200 || this.overflowed) return true;
    const before = this.eventCount;
    this.chunkAt = performance.now();
    this.framer.feed(chunk);
    this.host.events(this.eventCount - before, chunk.length);
    if (this.overflowed) this.stop('cut');
    return true;
  }

  onComplete(): void {
    this.finish(this.doneMs >= 0 ? 'done' : this.status === 200 ? 'closed without done' : `http ${this.status}`);
  }

  onError(err: Error): void {
    if (this.doneMs >= 0) return this.finish('done');
    if (this.stopReason === 'aborted') return this.finish('aborted');
    if (this.overflowed) return this.finish('line or event over 1 MiB');
    if (this.stopReason === 'cut') return this.finish('cut at the deadline');
    if (this.status !== 0 && this.status !== 200) return this.finish(`http ${this.status}`);
    const error = transportError(err, this.host.url, this.host.timeoutMs);
    // Undici reports a peer that closed mid-body as a socket error: for a stream that is a reset.
    const cause = this.status === 200 && error.code === 'other' ? 'reset' : error.code;
    this.finish(cause === 'aborted' ? 'cut at the deadline' : cause, error.message);
  }

  private finish(outcome: Outcome, error?: string): void {
    if (!this.active) return;
    this.active = false;
    this.timeline.finish();
    this.abortFn = undefined;
    this.host.ended(this, outcome, error);
  }

  /** The framer found a line or event over MAX_LINE: the stream is cut (onData) and fails as hostile. */
  overflow(): void {
    this.overflowed = true;
  }

  /** One dispatched event from the framer. */
  event(m: EventSourceMessage): void {
    this.eventCount++;
    const at = this.chunkAt - this.startedAt;
    if (this.firstEventMs < 0) {
      this.firstEventMs = at;
      this.host.firstEvent(this, this.firstEventMs);
    }
    if (this.doneMs >= 0) return; // after done: not the answer
    if (this.host.isDone(m)) {
      this.doneAt = this.chunkAt;
      this.doneMs = at;
      this.timeline.done(at);
      this.host.done(this, this.doneMs);
    } else this.timeline.event(at, m.event ?? 'message', m.data);
  }
}
