/**
 * The latency settings of an answer stream (`stream.latency` … composed flat into the stream
 * section): what counts as content, how tokens are counted, where the server's generation stamp
 * is, how bursts are told apart, and the objectives. Every field is documented in docs/checks.md.
 */
import { z } from 'zod';
import { coalescingSchema } from './coalescing.js';
import { compileContentRule, contentRuleSchema } from './content.js';
import { sloSchema } from './slo.js';
import { ContentTimeline } from './timeline.js';
import { compileStampReader, compileTokenCounter, tokenCounterSchema } from './tokens.js';

export const latencySettings = {
  /** Which events are content (TTFT, ITL); see src/latency/content.ts for the defaults. */
  content: contentRuleSchema,
  /** Tokens per event, from a number in the event's JSON; unset: ITL is not normalised per token. */
  tokenCounter: tokenCounterSchema.optional(),
  /** Dotted path of the server's generation stamp in the event's JSON (epoch ms or ISO time); unset (real targets): not read. */
  generatedAtField: z.string().min(1).optional(),
  coalescing: coalescingSchema.prefault({}),
  slo: sloSchema.prefault({}),
};

export const latencySchema = z.object(latencySettings).strict();
export type LatencyConfig = z.output<typeof latencySchema>;

/** A fresh timeline reading events as this config says. */
export function timelineFor(cfg: LatencyConfig, epochAtRequest = NaN): ContentTimeline {
  return new ContentTimeline(
    {
      isContent: compileContentRule(cfg.content),
      burstGapMs: cfg.coalescing.burstGapMs,
      ...(cfg.tokenCounter && { tokens: compileTokenCounter(cfg.tokenCounter) }),
      ...(cfg.generatedAtField !== undefined && { stamp: compileStampReader(cfg.generatedAtField) }),
    },
    epochAtRequest,
  );
}
