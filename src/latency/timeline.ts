/**
 * One stream's content timeline, fed event by event as they are dispatched (the stream check feeds
 * a whole record, the load feeds it live and reuses it per stream). It keeps what TTFT, ITL and
 * coalescing need, in the arrival clock of the caller (ms since the request was sent):
 *
 * - a **content event** is one the content rule selects and whose text is non-empty;
 * - a **delivery** is a run of content events each within `burstGapMs` of the one before: what
 *   the reader sees as one update of the screen. A server that flushes per token makes one
 *   delivery per event; a buffering proxy makes few deliveries of many events.
 */
import { tryJson, type Json } from './json.js';
import type { ContentClassifier } from './content.js';
import type { StampReader, TokenCounter } from './tokens.js';

export interface TimelineOptions {
  isContent: ContentClassifier;
  /** Content events closer than this to the previous one belong to the same delivery. */
  burstGapMs: number;
  tokens?: TokenCounter;
  stamp?: StampReader;
}

export class ContentTimeline {
  firstEventMs = -1;
  firstContentMs = -1;
  doneMs = -1;
  lastContentMs = -1;
  contentEvents = 0;
  /** Tokens counted by the configured counter; -1 when there is none or an event had no count. */
  tokens = 0;
  /** Gaps between consecutive content events, per event arrival. */
  readonly eventGaps: number[] = [];
  /** Gaps between consecutive deliveries (from the last event of one to the first of the next). */
  readonly deliveryGaps: number[] = [];
  /** Content events in each delivery. */
  readonly deliverySizes: number[] = [];
  /** Each delivery's gap spread over the tokens it brought (only with a token counter). */
  readonly tokenGaps: number[] = [];
  /** Tokens each content event carried (only with a token counter). */
  readonly eventTokens: number[] = [];
  /** Gaps between the server's generation stamps of consecutive content events. */
  readonly stampGaps: number[] = [];
  /** First content event's stamp (epoch ms), and every content event's arrival minus its stamp when the caller gave the request's epoch time. */
  firstStamp = -1;
  readonly stampLags: number[] = [];
  private lastStamp = -1;
  private deliveryTokens = 0;
  private pendingGap = -1;
  private deliveryClosed = false;
  private runningTotal = 0;

  constructor(
    private readonly opts: TimelineOptions,
    /** Epoch ms at which the request was sent (performance.timeOrigin + the send time), for stamp lags; NaN: not measured. */
    private epochAtRequest = NaN,
  ) {}

  /** Start over for the next stream (the load reuses one timeline per slot). */
  reset(epochAtRequest = NaN): void {
    this.firstEventMs = this.firstContentMs = this.doneMs = this.lastContentMs = this.lastStamp = this.firstStamp = this.pendingGap = -1;
    this.contentEvents = this.tokens = this.deliveryTokens = 0;
    this.deliveryClosed = false;
    this.runningTotal = 0;
    for (const a of [this.eventGaps, this.deliveryGaps, this.deliverySizes, this.tokenGaps, this.eventTokens, this.stampGaps, this.stampLags]) a.length = 0;
    this.epochAtRequest = epochAtRequest;
  }

  /** One dispatched event; returns whether it was content. */
  event(atMs: number, type: string, data: string): boolean {
    if (this.firstEventMs < 0) this.firstEventMs = atMs;
    const { tokens, stamp } = this.opts;
    const json: Json | undefined = tokens || stamp ? tryJson(data) : undefined;
    if (this.opts.isContent(type, data, json) === undefined) return false;
    this.content(atMs, tokens ? this.tokensIn(tokens.read(json), tokens.total) : undefined, stamp ? stamp(json) : undefined);
    return true;
  }

  /** The done event was dispatched at `atMs`. */
  done(atMs: number): void {
    if (this.doneMs < 0) this.doneMs = atMs;
  }

  /** Close the last delivery; call once the stream has ended. */
  finish(): void {
    this.closeDelivery();
  }

  private content(atMs: number, tokens: number | undefined, stamp: number | undefined): void {
    this.contentEvents++;
    if (this.firstContentMs < 0) this.firstContentMs = atMs;
    else {
      const gap = atMs - this.lastContentMs;
      this.eventGaps.push(gap);
      if (gap > this.opts.burstGapMs) {
        this.closeDelivery();
        this.pendingGap = gap;
        this.deliveryGaps.push(gap);
      }
    }
    if (this.deliverySizes.length === 0 || this.deliveryClosed) this.openDelivery();
    const last = this.deliverySizes.length - 1;
    this.deliverySizes[last] = (this.deliverySizes[last] ?? 0) + 1;
    this.count(tokens);
    this.stamped(atMs, stamp);
    this.lastContentMs = atMs;
  }

  private openDelivery(): void {
    this.deliverySizes.push(0);
    this.deliveryClosed = false;
  }

  /** A delivery's gap is spread evenly over the tokens it brought (the first delivery has none: it is TTFT). */
  private closeDelivery(): void {
    if (this.deliveryClosed || this.deliverySizes.length === 0) return;
    this.deliveryClosed = true;
    if (this.pendingGap >= 0 && this.tokens >= 0 && this.deliveryTokens > 0) {
      const per = this.pendingGap / this.deliveryTokens;
      for (let i = 0; i < this.deliveryTokens; i++) this.tokenGaps.push(per);
    }
    this.deliveryTokens = 0;
    this.pendingGap = -1;
  }

  /** A running total becomes this event's count (a total that went back counts 0). */
  private tokensIn(v: number | undefined, total: boolean): number | undefined {
    if (v === undefined || !total) return v;
    const n = Math.max(0, v - this.runningTotal);
    this.runningTotal = Math.max(this.runningTotal, v);
    return n;
  }

  private count(tokens: number | undefined): void {
    if (!this.opts.tokens || this.tokens < 0) return;
    if (tokens === undefined) {
      this.tokens = -1; // one event without a count: per-token figures would be wrong, so there are none
      this.tokenGaps.length = 0;
      return;
    }
    this.tokens += tokens;
    this.deliveryTokens += tokens;
    this.eventTokens.push(tokens);
  }

  private stamped(atMs: number, stamp: number | undefined): void {
    if (stamp === undefined) return;
    if (this.firstStamp < 0) this.firstStamp = stamp;
    if (this.lastStamp >= 0) this.stampGaps.push(stamp - this.lastStamp);
    this.lastStamp = stamp;
    if (!Number.isNaN(this.epochAtRequest)) this.stampLags.push(this.epochAtRequest + atMs - stamp);
  }
}
