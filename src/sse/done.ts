/**
 * The done rule: how the end of an answer is recognised, always judged on a dispatched event
 * (HTML §9.2.6: its type and data). One schema, one matcher and one compilation for every reader:
 * the stream check, the load engine (the hot path) and the browser page (which receives the rule
 * as data and this module's matcher as source, see `matchesDone`).
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

/** The three sentinels seen in the field (docs/browser-rules.md D-1). */
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

/**
 * One matcher against one dispatched event. Self-contained on purpose (no helper of this module,
 * no import): the browser check sends its source into the page, so the page decides done exactly
 * as the stream and load checks do.
 */
export function matchesDone(m: DoneMatcher, type: string, data: string, json: Json | undefined): boolean {
  if (m.kind === 'event') return type === m.name;
  if (m.kind === 'data') return data === m.equals;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const v = json[m.field];
  // `json:done=true` matches Ollama's {"done": true}: a boolean or number compares as its JSON text.
  return v === m.equals || ((typeof v === 'boolean' || typeof v === 'number') && String(v) === m.equals);
}

export function parseJson(text: string): Json | undefined {
  // Cheap pre-check: most non-JSON sentinels (`[DONE]`, plain text) fail here without a throw.
  const c = text.trimStart().charCodeAt(0);
  if (c !== 123 && c !== 34 && c !== 91 && c !== 110 && c !== 116 && c !== 102 && c !== 45 && !(c >= 48 && c <= 57)) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/**
 * The done rule as one function over a parsed event, for the hot path: JSON is parsed only when
 * the data could match (the value appears, or an escape such as `\u0064` might hide it), and only until a
 * stream's done is found. Same verdicts as `matchesDone` over every matcher.
 */
export function compileDoneRule(rule: readonly DoneMatcher[]): (m: EventSourceMessage) => boolean {
  const needsJson = rule.filter((r): r is Extract<DoneMatcher, { kind: 'json' }> => r.kind === 'json');
  const plain = rule.filter((r) => r.kind !== 'json');
  return (m) => {
    const type = m.event ?? 'message'; // a browser's type for an unnamed event (HTML §9.2.6)
    for (const r of plain) if (matchesDone(r, type, m.data, undefined)) return true;
    if (needsJson.length === 0) return false;
    const data = m.data;
    if (!needsJson.some((r) => data.includes(r.equals)) && !data.includes('\\')) return false;
    const json = parseJson(data);
    return needsJson.some((r) => matchesDone(r, type, data, json));
  };
}
