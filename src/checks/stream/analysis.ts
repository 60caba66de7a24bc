/**
 * One pass over the dispatched events that the done and protocol rules share: JSON parsed once,
 * each event's kind under either field convention, which events are done.
 */
import type { SseEvent } from '../../sse/types.js';
import { type Json, matchesDone, parseJson } from '../../sse/done.js';
import type { StreamExpectation } from './expectation.js';

export interface ClassifiedEvent {
  event: SseEvent;
  index: number;
  /** `named`: `event: <name>`; `typed`: an unnamed message whose JSON data carries `type`. */
  convention: 'named' | 'typed';
  /** The name or the JSON `type` (under the `openai` schema, the chunk's `object`); `?` for an unnamed message without one. */
  kind: string;
  /** The parsed data, when it is JSON. */
  json?: Json;
  isDone: boolean;
}

export interface StreamAnalysis {
  events: ClassifiedEvent[];
  /** Indexes of the events the done rule matched. */
  done: number[];
}

export function analyse(events: readonly SseEvent[], exp: StreamExpectation): StreamAnalysis {
  const out: ClassifiedEvent[] = [];
  const done: number[] = [];
  events.forEach((event, index) => {
    const json = parseJson(event.data);
    const isDone = exp.done.some((m) => matchesDone(m, event.type, event.data, json));
    if (isDone) done.push(index);
    const named = event.type !== 'message';
    const kind = named ? event.type : ((exp.eventSchema === 'openai' ? openaiKind(json) : typeOf(json)) ?? '?');
    out.push({ event, index, convention: named ? 'named' : 'typed', kind, ...(json !== undefined && { json }), isDone });
  });
  return { events: out, done };
}

export function isObject(json: Json | undefined): json is { [key: string]: Json } {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/** The kind under the `openai` schema (openai.ts): the chunk's `object`, `error` for a streamed `{"error": ...}`. */
function openaiKind(json: Json | undefined): string | undefined {
  if (!isObject(json)) return undefined;
  if (json.error !== undefined && json.choices === undefined) return 'error';
  return typeof json.object === 'string' ? json.object : undefined;
}

function typeOf(json: Json | undefined): string | undefined {
  return isObject(json) && typeof json.type === 'string' ? json.type : undefined;
}

/** The answer text a token/delta event carries, under either convention. */
export function tokenText(json: Json | undefined): string | undefined {
  if (typeof json === 'string') return json;
  if (!isObject(json)) return undefined;
  for (const key of ['data', 'token', 'text', 'content', 'delta']) {
    const v = json[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** How many sources a sources event lists: `data`, `sources`, or the data itself as an array. */
export function sourcesCount(json: Json | undefined): number {
  if (Array.isArray(json)) return json.length;
  if (!isObject(json)) return 0;
  for (const key of ['data', 'sources']) {
    const v = json[key];
    if (Array.isArray(v)) return v.length;
  }
  return 0;
}

/** The message of an error event: the common shapes, else the raw data. */
export function errorMessage(json: Json | undefined, raw: string): string {
  if (typeof json === 'string') return json;
  if (isObject(json)) {
    for (const key of ['message', 'error', 'detail', 'data']) {
      const v = json[key];
      if (typeof v === 'string') return v;
      if (isObject(v) && typeof v.message === 'string') return v.message;
    }
  }
  return raw;
}
