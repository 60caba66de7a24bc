/** What every stream judge receives, and the small helpers they share. */
import { extractMimeEssence } from '../../fetch/mime.js';
import { skipped } from '../../core/verdicts.js';
import { finding, type Finding, type JsonValue, type Status } from '../../core/finding.js';
import type { StreamRecord } from '../../sse/types.js';
import { analyse, type StreamAnalysis } from './analysis.js';
import type { StreamExpectation } from './expectation.js';
import type { StreamObservation, StreamResponseHead } from './types.js';

export interface StreamContext {
  obs: StreamObservation;
  exp: StreamExpectation;
  /** The response, when a browser would accept it as an event stream (200 + text/event-stream). */
  accepted?: StreamResponseHead;
  /** Present when the response was accepted and its body was read. */
  stream?: { response: StreamResponseHead; record: StreamRecord; analysis: StreamAnalysis };
  /** Why there is no stream to judge, for `skip` findings. */
  noStream?: string;
}

export function createContext(obs: StreamObservation, exp: StreamExpectation): StreamContext {
  const res = obs.response;
  if (!res) return { obs, exp, noStream: `no response: ${obs.error?.message ?? 'the request failed'}` };
  if (res.status !== 200 && obs.transport === 'fetch')
    return { obs, exp, noStream: `status ${res.status}: the app's reader sees response.ok false and does not read the body as a stream` };
  if (res.status !== 200) return { obs, exp, noStream: `the browser fails the connection on status ${res.status} and never reads the body` };
  const essence = extractMimeEssence(res.headers['content-type']);
  // A fetch() reader reads the body whatever its type; only EventSource gates on it.
  if (essence !== 'text/event-stream' && obs.transport !== 'fetch') {
    return { obs, exp, noStream: `the browser fails the connection on Content-Type ${essence ?? '(none)'} and never reads the body` };
  }
  if (!obs.record) return { obs, exp, accepted: res, noStream: 'the body was not read' };
  return { obs, exp, accepted: res, stream: { response: res, record: obs.record, analysis: analyse(obs.record.events, exp) } };
}

type Verdict = { status: Status; title: string; expected: string; observed: string; remedy?: string; evidence?: { [key: string]: JsonValue } };

/** A finding for this observation's target. */
export function verdict(ctx: StreamContext, id: string, v: Verdict): Finding {
  return finding({ id, target: ctx.obs.target, ...v });
}

export function skip(ctx: StreamContext, id: string, title: string, reason: string): Finding {
  return skipped(id, ctx.obs.target, title, reason);
}

const INVISIBLE = /[\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;

/**
 * A value shown verbatim: JSON-quoted so CR, LF and NUL are visible, invisible characters such as
 * a BOM escaped too, cut to `max` characters.
 */
export function show(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function ms(n: number): string {
  return `${Math.round(n)} ms`;
}

/** When the response head arrived (ms since the request), 0 if unknown. */
export function headersAt(ctx: StreamContext): number {
  return ctx.obs.timings.ttfbMs ?? 0;
}
