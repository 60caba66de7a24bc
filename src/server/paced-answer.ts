/**
 * The paced answer producer: one prepared answer, written event by event at a model's pace to a
 * body in a framing (both given), each event stamped with its generation time. It knows nothing
 * of routes or framing, so the GET event stream and any other route or framing share it. A held
 * stream costs this object and one timer: everything else is prepared per query or per server.
 */
import type { ServerResponse } from 'node:http';
import type { Gauge } from 'prom-client';
import type { Faults } from './faults.js';
import { jittered, nextSeed, SLOW_FIRST_TOKEN_MS, STALL_MS, type Pace } from './pace.js';
import { eventAt, type PreparedAnswer } from './rag-answer.js';
import type { Body, Framing } from './rag-stream-sink.js';

/** After `reset-mid-stream`, the connection is reset once this many events were written. */
const RESET_AFTER = 5;

/**
 * Under `buffered`, `gzip` and `gzip-ignore-disconnect` an answer takes at least ~2 s whatever the pace, so the burst at the
 * end is distinguishable from fast generation with the default sse.buffering thresholds, as it is
 * in production, where answers take seconds.
 */
const BUFFERED_MIN_INTERVAL_MS = 35;

/** The generation stamp: ms since the epoch with µs resolution, the same clock a client on this machine reads. */
export const stampNow = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;

/** What every stream of one server shares: the pace with the faults' changes, read once. */
export class PaceRules {
  readonly firstTokenMs: number;
  readonly stallMs: number;
  readonly slowFirstEventMs: number;
  readonly resetAfter: number;
  readonly ignoreDisconnectMs: number;
  readonly minIntervalMs: number;
  private seed = 0x2545f491;

  constructor(
    readonly pace: Pace,
    faults: Faults,
  ) {
    this.firstTokenMs = faults.has('slow-first-token') ? faults.number('slow-first-token', SLOW_FIRST_TOKEN_MS) : pace.ttftMs;
    this.stallMs = faults.has('stalls') ? faults.number('stalls', STALL_MS) : 0;
    this.slowFirstEventMs = faults.has('slow-first-event') ? faults.number('slow-first-event', 6000) : 0;
    this.resetAfter = faults.has('reset-mid-stream') ? RESET_AFTER : 0;
    // gzip-ignore-disconnect: the same detached generator behind a compressor that holds every event.
    const ignore = faults.has('ignore-disconnect') ? 'ignore-disconnect' : faults.has('gzip-ignore-disconnect') ? 'gzip-ignore-disconnect' : undefined;
    this.ignoreDisconnectMs = ignore ? faults.number(ignore, 10_000) : 0;
    this.minIntervalMs = faults.has('buffered') || faults.has('gzip') || faults.has('gzip-ignore-disconnect') ? BUFFERED_MIN_INTERVAL_MS : 0;
  }

  /** A different jitter sequence for each stream, reproducible from the server's start. */
  streamSeed(): number {
    this.seed = nextSeed(this.seed);
    return this.seed;
  }
}

const FINISHED = 1;
const GONE = 2;

export class PacedAnswer {
  private timer: NodeJS.Timeout | undefined;
  private state = 0;
  private detachedUntil = 0;
  private seed: number;
  private readonly tick = () => this.emit();
  private readonly closed = () => {
    this.state |= GONE;
    if (this.rules.ignoreDisconnectMs === 0) this.finish();
  };

  /**
   * Starts at event `next` (a reconnect resumes after its Last-Event-ID). The gauge counts the
   * stream from here until the answer ends or the client leaves (exact: finish runs once).
   */
  constructor(
    private readonly res: ServerResponse,
    private readonly body: Body,
    private readonly frame: Framing,
    private readonly answer: PreparedAnswer,
    private readonly rules: PaceRules,
    private readonly gauge: Gauge,
    private next: number,
  ) {
    this.seed = rules.streamSeed();
    gauge.inc();
    res.on('close', this.closed);
    const wait = rules.slowFirstEventMs || (next === answer.firstToken ? rules.firstTokenMs : 0);
    if (wait === 0) this.emit();
    else {
      res.flushHeaders();
      this.timer = setTimeout(this.tick, wait);
    }
  }

  private emit(): void {
    if (this.state & FINISHED) return;
    if (this.state & GONE) return this.detached();
    const index = this.next++;
    this.body.write(this.frame(index, eventAt(this.answer, index) as NonNullable<ReturnType<typeof eventAt>>, stampNow()));
    if (this.next === this.rules.resetAfter) return void this.res.socket?.resetAndDestroy();
    if (this.answer.endless || this.next < this.answer.events.length) this.timer = setTimeout(this.tick, this.delayBefore(this.next));
    else {
      this.finish();
      this.body.end();
    }
  }

  /** The wait before event `index`: the time to first token, a stall, or one token interval. */
  private delayBefore(index: number): number {
    if (index === this.answer.firstToken) return this.rules.firstTokenMs;
    if (index === this.answer.stallAt && this.rules.stallMs > 0) return this.rules.stallMs;
    this.seed = nextSeed(this.seed);
    return Math.max(this.rules.minIntervalMs, jittered(this.rules.pace, this.seed));
  }

  /**
   * Fault ignore-disconnect: a generator that never looks at the connection (a detached task)
   * goes on producing tokens nobody reads; the gauge stays up until it gives up.
   */
  private detached(): void {
    if (this.detachedUntil === 0) this.detachedUntil = Date.now() + this.rules.ignoreDisconnectMs;
    if (Date.now() >= this.detachedUntil) return this.finish();
    // unref: a zombie generator must not keep the server process alive on shutdown.
    this.timer = setTimeout(this.tick, Math.max(1, this.rules.pace.tokenIntervalMs)).unref();
  }

  private finish(): void {
    if (this.state & FINISHED) return;
    this.state |= FINISHED;
    clearTimeout(this.timer);
    this.gauge.dec();
  }
}
