/**
 * Coalescing: content that reaches the reader in fewer, larger pieces than it was generated in —
 * events carrying many tokens each, or many events per delivery (a buffering proxy, a compressor
 * without flushes, Nagle). Per-event gaps inside a burst are ~0 ms, so an ITL computed per event
 * would call a buffered stream fast (vllm#27485, llmperf#99); the verdicts use delivery gaps, and
 * this says why the per-event figure is not what the reader saw.
 */
import { z } from 'zod';
import { percentile } from './quantiles.js';

export const coalescingSchema = z
  .object({
    /** Content events within this many ms of the previous one are one delivery (a burst). */
    burstGapMs: z.number().nonnegative().default(1),
    /** Coalesced when the mean content events per delivery reaches this... */
    eventsPerDelivery: z.number().min(1).default(2),
    /** ...or (with a token counter) the median tokens per content event reaches this. */
    tokensPerEvent: z.number().min(1).default(4),
    /** Coalescing is a finding only when the last content arrived this long after the request: a whole answer in under a second reads as instant anyway. */
    minStreamMs: z.number().nonnegative().default(1000),
  })
  .strict();

export type CoalescingConfig = z.output<typeof coalescingSchema>;

export interface Coalescing {
  coalesced: boolean;
  contentEvents: number;
  deliveries: number;
  eventsPerDelivery: number;
  largestDelivery: number;
  /** Median tokens per content event, when a counter is configured. */
  tokensPerEvent: number | null;
  reasons: string[];
}

export function judgeCoalescing(deliverySizes: readonly number[], eventTokens: readonly number[] | null, cfg: CoalescingConfig): Coalescing {
  const contentEvents = deliverySizes.reduce((a, b) => a + b, 0);
  const deliveries = deliverySizes.length;
  const perDelivery = deliveries === 0 ? 0 : Math.round((contentEvents / deliveries) * 100) / 100;
  const largest = deliverySizes.reduce((a, b) => Math.max(a, b), 0);
  const tokensPerEvent =
    eventTokens && eventTokens.length > 0
      ? percentile(
          [...eventTokens].sort((a, b) => a - b),
          50,
        )
      : null;
  const reasons: string[] = [];
  // A single content event is one delivery whatever happened: nothing to tell.
  if (contentEvents >= 2 && perDelivery >= cfg.eventsPerDelivery) {
    reasons.push(`${contentEvents} content events arrived in ${deliveries} ${deliveries === 1 ? 'delivery' : 'deliveries'} (${perDelivery} per delivery, largest ${largest})`);
  }
  if (tokensPerEvent !== null && tokensPerEvent >= cfg.tokensPerEvent) reasons.push(`content events carry ${tokensPerEvent} tokens each (median)`);
  return { coalesced: reasons.length > 0, contentEvents, deliveries, eventsPerDelivery: perDelivery, largestDelivery: largest, tokensPerEvent, reasons };
}
