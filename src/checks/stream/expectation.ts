/**
 * What the stream rules expect, as zod schemas the config composes (`stream: streamExpectationSchema`).
 * Every default is the production contract or a browser fact, with its source.
 */
import { z } from 'zod';
import { doneRuleSchema } from '../../sse/done.js';
import { latencySettings } from '../../latency/config.js';

const ms = z.number().int().nonnegative();

/** The `sse.buffering` heuristic's knobs; see docs/checks.md (Stream) for what they mean. */
export const bufferingSchema = z
  .object({
    /** Fewer dispatched events than this: skip, too few to tell. */
    minEvents: z.number().int().min(2).default(5),
    /** The stream (headers to last event) took at least this long, or fast generation looks the same. */
    minStreamMs: ms.default(1000),
    /** Events closer than this to the next one belong to the same burst. */
    burstWindowMs: ms.default(50),
    /** The final burst holds at least this share of all events... */
    burstShare: z.number().gt(0).max(1).default(0.8),
    /** ...and began after at least (1 - this) of the stream's time had passed. */
    spreadFraction: z.number().gt(0).lt(1).default(0.1),
  })
  .strict();

export const streamExpectationSchema = z
  .object({
    done: doneRuleSchema,
    /** Request to first dispatched event: above this warns. */
    firstEventMs: ms.default(5000),
    /** Largest gap between two consecutive events: above this fails. */
    maxGapMs: ms.default(10_000),
    /** done to the server closing the connection. */
    closeAfterDoneMs: ms.default(2000),
    /** Longest silence (no event, no comment) a long stream may have; §9.2.7 suggests ~15 s. */
    heartbeatMs: ms.default(15_000),
    /** Heartbeats are judged only for streams lasting at least this long. */
    heartbeatMinStreamMs: ms.default(30_000),
    /** The reconnection time when the stream sends no valid `retry:`: Chromium's kDefaultReconnectDelay. */
    defaultRetryMs: ms.default(3000),
    /**
     * How events are judged by sse.protocol: `contract` (named events in `eventNames`, or messages
     * whose JSON `type` is in `messageTypes`) or `openai` (OpenAI-compatible `chat.completion.chunk`
     * messages, src/checks/stream/openai.ts).
     */
    eventSchema: z.enum(['contract', 'openai']).default('contract'),
    /** Named-event convention: `event: <name>` with JSON data. */
    eventNames: z.array(z.string().min(1)).default(() => ['metadata', 'delta', 'token', 'sources', 'done', 'error']),
    /** Unnamed-message convention: JSON data whose `type` is one of these. */
    messageTypes: z.array(z.string().min(1)).default(() => ['metadata', 'token', 'sources', 'done', 'error']),
    buffering: bufferingSchema.prefault({}),
    /** sse.ttft / sse.itl / sse.e2e: content rule, token counter, server stamp, coalescing, objectives (src/latency/config.ts). */
    ...latencySettings,
  })
  .strict();

export type StreamExpectation = z.output<typeof streamExpectationSchema>;
