/**
 * What the stream rules expect, as zod schemas the config composes (`stream: streamExpectationSchema`).
 * Every default is the production contract or a browser fact, with its source.
 */
import { z } from 'zod';
import { latencySettings } from '../../latency/config.js';

/** One way a server signals the end of the answer. Always judged after browser dispatch (§9.2.6). */
export type DoneMatcher =
  /** `data` is JSON whose top-level `field` equals `equals`, e.g. `{"type":"done"}`. */
  | { kind: 'json'; field: string; equals: string }
  /** The event type is `name` (`event: done` plus a `data:` line, or it is never dispatched). */
  | { kind: 'event'; name: string }
  /** `data` is exactly `equals`, e.g. OpenAI's `[DONE]`. */
  | { kind: 'data'; equals: string };

/** Shorthand forms, for flags and env: `json:type=done`, `event:done`, `data:[DONE]`. */
const SHORTHAND = /^(?:json:([^=\s]+)=(.*)|event:(\S+)|data:(.*))$/s;

export function parseDoneMatcher(text: string): DoneMatcher | undefined {
  const m = SHORTHAND.exec(text);
  if (!m) return undefined;
  if (m[1] !== undefined) return { kind: 'json', field: m[1], equals: m[2] ?? '' };
  if (m[3] !== undefined) return { kind: 'event', name: m[3] };
  return { kind: 'data', equals: m[4] ?? '' };
}

export function formatDoneMatcher(m: DoneMatcher): string {
  if (m.kind === 'json') return `json:${m.field}=${m.equals}`;
  if (m.kind === 'event') return `event:${m.name}`;
  return `data:${m.equals}`;
}

const shorthandMatcher = z
  .string()
  .regex(SHORTHAND)
  .transform((s) => parseDoneMatcher(s) as DoneMatcher);

const objectMatcher = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), field: z.string().min(1), equals: z.string() }).strict(),
  z.object({ kind: z.literal('event'), name: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('data'), equals: z.string() }).strict(),
]);

const MATCHER_HELP = 'expected a done matcher: json:<field>=<value>, event:<name> or data:<exact data> (e.g. json:type=done), or {"kind": "json"|"event"|"data", ...}';

export const doneMatcherSchema = z.union([shorthandMatcher, objectMatcher], { error: MATCHER_HELP });

/** The three sentinels seen in the field (shared/reference/sse.md §4.2). */
export const DEFAULT_DONE_RULE: readonly DoneMatcher[] = [
  { kind: 'json', field: 'type', equals: 'done' },
  { kind: 'event', name: 'done' },
  { kind: 'data', equals: '[DONE]' },
];

/** Any matcher recognises done. */
export const doneRuleSchema = z
  .array(doneMatcherSchema)
  .min(1, 'the done rule needs at least one matcher')
  .default(() => [...DEFAULT_DONE_RULE]);

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
export type StreamExpectationInput = z.input<typeof streamExpectationSchema>;
