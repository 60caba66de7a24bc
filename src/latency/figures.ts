/**
 * One stream's latency figures from its finished timeline, as the findings and the JSON report
 * show them. Every figure is in ms since the request was sent, in the client's arrival clock.
 */
import type { JsonValue } from '../core/finding.js';
import { judgeCoalescing, type Coalescing, type CoalescingConfig } from './coalescing.js';
import { distribution, percentile, type Distribution } from './quantiles.js';
import type { StreamTimes } from './slo.js';
import type { ContentTimeline } from './timeline.js';

export interface StreamLatency {
  /** First body byte (null: no body). */
  firstByteMs: number | null;
  /** First dispatched event of any kind (metadata counts here, not in TTFT). */
  firstEventMs: number | null;
  /** Time to first token: the first content event. */
  ttftMs: number | null;
  /** The last content event. */
  lastContentMs: number | null;
  /** Time to done: the done event dispatched. */
  e2eMs: number | null;
  contentEvents: number;
  /** Tokens per the configured counter; null without one (or when an event lacked it). */
  tokens: number | null;
  itl: {
    /** Gaps between consecutive content events (0 inside a burst). */
    perEvent: Distribution;
    /** Gaps between deliveries: what the reader waits between updates. Judged against the SLO. */
    perDelivery: Distribution;
    /** Each delivery's gap divided evenly over its tokens; null without a token counter. */
    perToken: Distribution | null;
  };
  coalescing: Coalescing;
  /** From the server's generation stamps, when configured and present. */
  server: { gaps: Distribution; arrivalMinusStampMs: Distribution | null } | null;
}

export function streamLatency(t: ContentTimeline, firstByteMs: number | undefined, coalescing: CoalescingConfig): StreamLatency {
  const counted = t.tokens >= 0 && t.eventTokens.length > 0;
  return {
    firstByteMs: firstByteMs ?? null,
    firstEventMs: t.firstEventMs >= 0 ? t.firstEventMs : null,
    ttftMs: t.firstContentMs >= 0 ? t.firstContentMs : null,
    lastContentMs: t.lastContentMs >= 0 ? t.lastContentMs : null,
    e2eMs: t.doneMs >= 0 ? t.doneMs : null,
    contentEvents: t.contentEvents,
    tokens: counted ? t.tokens : null,
    itl: {
      perEvent: distribution(t.eventGaps),
      perDelivery: distribution(t.deliveryGaps),
      perToken: counted ? distribution(t.tokenGaps) : null,
    },
    coalescing: judgeCoalescing(t.deliverySizes, counted ? t.eventTokens : null, coalescing),
    server: t.firstStamp >= 0 ? { gaps: distribution(t.stampGaps), arrivalMinusStampMs: t.stampLags.length ? distribution(t.stampLags) : null } : null,
  };
}

/** The few numbers the SLO (and the load's goodput) judge, cheaply, without the distributions. */
export function streamTimes(t: ContentTimeline): StreamTimes {
  return {
    ttftMs: t.firstContentMs >= 0 ? t.firstContentMs : null,
    itlP99Ms:
      t.deliveryGaps.length === 0
        ? null
        : percentile(
            [...t.deliveryGaps].sort((a, b) => a - b),
            99,
          ),
    e2eMs: t.doneMs >= 0 ? t.doneMs : null,
    done: t.doneMs >= 0,
  };
}

/** The figures as JSON evidence. */
export function latencyEvidence(l: StreamLatency): { [key: string]: JsonValue } {
  return JSON.parse(JSON.stringify(l)) as { [key: string]: JsonValue };
}
