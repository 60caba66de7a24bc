/**
 * Which dispatched events are content: the events that put answer text on the reader's screen.
 * TTFT ends at the first of them and ITL is measured between them, so metadata, sources,
 * comments, empty tokens and role-only deltas (OpenAI's first chunk carries `role` and no text:
 * vllm#3768) never count. A matcher selects the event; the event counts only when its text is
 * non-empty.
 */
import { z } from 'zod';
import { isRecord, splitPath, tryJson, valueAt, type Json } from './json.js';

export type ContentMatcher =
  /** JSON data whose top-level `field` equals `equals` (the zantara contract: `{"type":"token","data":"…"}`). */
  | { kind: 'json'; field: string; equals: string }
  /** The event type is `name` (`event: token`; Anthropic's `event: content_block_delta`). */
  | { kind: 'event'; name: string }
  /** JSON data with a non-empty string at this dotted path: that string is the text (OpenAI: `choices.0.delta.content`). */
  | { kind: 'path'; path: string };

/** The answer protocols seen in the field: the zantara contract (both conventions), OpenAI-compatible, Anthropic. */
export const DEFAULT_CONTENT_RULE: readonly ContentMatcher[] = [
  { kind: 'json', field: 'type', equals: 'token' },
  { kind: 'event', name: 'token' },
  { kind: 'event', name: 'delta' },
  { kind: 'path', path: 'choices.0.delta.content' },
  { kind: 'event', name: 'content_block_delta' },
];

const SHORTHAND = /^(?:json:([^=\s]+)=(.*)|event:(\S+)|path:(\S+))$/s;

export function parseContentMatcher(text: string): ContentMatcher | undefined {
  const m = SHORTHAND.exec(text);
  if (!m) return undefined;
  if (m[1] !== undefined) return { kind: 'json', field: m[1], equals: m[2] ?? '' };
  if (m[3] !== undefined) return { kind: 'event', name: m[3] };
  return { kind: 'path', path: m[4] ?? '' };
}

export function formatContentMatcher(m: ContentMatcher): string {
  if (m.kind === 'json') return `json:${m.field}=${m.equals}`;
  if (m.kind === 'event') return `event:${m.name}`;
  return `path:${m.path}`;
}

const HELP = 'expected a content matcher: json:<field>=<value>, event:<name> or path:<dotted.path> (e.g. json:type=token, path:choices.0.delta.content)';

const objectMatcher = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), field: z.string().min(1), equals: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('event'), name: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('path'), path: z.string().min(1) }).strict(),
]);

const shorthandMatcher = z
  .string()
  .regex(SHORTHAND)
  .transform((s) => parseContentMatcher(s) as ContentMatcher);

/** Any matcher selects content. */
export const contentRuleSchema = z
  .array(z.union([shorthandMatcher, objectMatcher], { error: HELP }))
  .min(1, 'the content rule needs at least one matcher')
  .default(() => [...DEFAULT_CONTENT_RULE]);

/** Keys that hold the text of a token or delta, in the order they are tried (a nested `delta` object too). */
const TEXT_KEYS = ['data', 'token', 'text', 'content', 'delta'];

/** The answer text an event carries: the data itself when it is not JSON, else the usual keys. */
export function textOf(data: string, json: Json | undefined): string | undefined {
  if (json === undefined) return data;
  if (typeof json === 'string') return json;
  if (!isRecord(json)) return undefined;
  for (const key of TEXT_KEYS) {
    const v = json[key];
    if (typeof v === 'string') return v;
    if (isRecord(v)) {
      for (const inner of ['text', 'content', 'partial_json']) if (typeof v[inner] === 'string') return v[inner] as string;
    }
  }
  return undefined;
}

/** The event's answer text when it is content, else undefined (not selected, or no text). */
export type ContentClassifier = (type: string, data: string, json?: Json) => string | undefined;

/** One function over (type, data): JSON is parsed at most once, and only when a matcher needs it. */
export function compileContentRule(rule: readonly ContentMatcher[]): ContentClassifier {
  const paths = rule.filter((m) => m.kind === 'path').map((m) => splitPath(m.path));
  return (type, data, parsed) => {
    let json = parsed;
    let parsedOnce = parsed !== undefined;
    const getJson = () => {
      if (!parsedOnce) (json = tryJson(data)), (parsedOnce = true);
      return json;
    };
    for (const m of rule) {
      if (m.kind === 'event' && type === m.name) return nonEmpty(textOf(data, getJson()));
      if (m.kind === 'json' && data.includes(m.equals)) {
        const j = getJson();
        if (isRecord(j) && j[m.field] === m.equals) return nonEmpty(textOf(data, j));
      }
    }
    if (paths.length === 0 || data.indexOf('{') === -1) return undefined;
    for (const p of paths) {
      const v = valueAt(getJson(), p);
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}
