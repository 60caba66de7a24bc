/**
 * The `openai` event schema (`stream.eventSchema: "openai"`): OpenAI-compatible streamed chat
 * completions, unnamed messages whose data is a `chat.completion.chunk` and whose answer text is
 * `choices[i].delta.content`, ended by the `data: [DONE]` sentinel (a done rule, not a chunk). A
 * streamed error is `{"error": {...}}`. What a client reading `choices[0].delta` relies on is
 * what is checked: the object name, `choices` an array, each choice's `delta` an object, and its
 * `content` a string or null when present.
 */
import type { Json } from '../../sse/done.js';
import { isObject } from './analysis.js';

export const OPENAI_CHUNK = 'chat.completion.chunk';

/** Why this data is not a chunk a client can read, or undefined. */
export function chunkProblem(json: Json | undefined): string | undefined {
  if (!isObject(json)) return 'not a JSON object';
  if (json.object !== OPENAI_CHUNK) return json.object === undefined ? 'no "object" member' : `"object" is ${JSON.stringify(json.object)}`;
  if (!Array.isArray(json.choices)) return '"choices" is not an array';
  for (const [i, choice] of json.choices.entries()) {
    if (!isObject(choice)) return `choices[${i}] is not an object`;
    if (!isObject(choice.delta)) return `choices[${i}].delta is not an object`;
    const content = choice.delta.content;
    if (content !== undefined && content !== null && typeof content !== 'string') return `choices[${i}].delta.content is not a string`;
  }
  return undefined;
}

/** The answer text of a chunk: `choices[0].delta.content`. */
export function chunkText(json: Json | undefined): string | undefined {
  if (!isObject(json) || !Array.isArray(json.choices)) return undefined;
  const first = json.choices[0];
  const content = isObject(first) && isObject(first.delta) ? first.delta.content : undefined;
  return typeof content === 'string' ? content : undefined;
}
