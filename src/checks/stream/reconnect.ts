/**
 * `sse.reconnect` (informational): what a browser's EventSource would do after the ending we
 * observed (HTML §9.2.3 reestablish vs fail the connection), with the `retry:` and ids sent.
 */
import type { Finding } from '../../core/finding.js';
import { ms, show, skip, verdict, type StreamContext } from './context.js';
import { judgeFetchReconnect } from './fetch-rules.js';

const ID = 'sse.reconnect';
const TITLE = 'what the browser does when this stream ends';
const RULE = 'HTML §9.2.2 steps 14–19, §9.2.3 reestablish; docs/browser-rules.md S-RC-4';

/** Fetch's CORS-unsafe request-header bytes: a Last-Event-ID with one of these needs a preflight. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f"():<>?@[\\\]{}\u007f]/;

export function judgeReconnect(ctx: StreamContext): Finding {
  if (ctx.obs.transport === 'fetch') return judgeFetchReconnect(ctx);
  const res = ctx.obs.response;
  if (!res) return skip(ctx, ID, TITLE, ctx.noStream ?? 'no response');
  if (!ctx.accepted) {
    return verdict(ctx, ID, {
      status: 'warn',
      title: TITLE,
      expected: 'a stream the browser accepts',
      observed: `${ctx.noStream ?? 'not an event stream'}: EventSource goes to CLOSED and never reconnects`,
      remedy: 'the web app must notice the error event with readyState CLOSED and retry by itself (EventSource will not)',
      evidence: { rule: RULE },
    });
  }
  if (!ctx.stream) return skip(ctx, ID, TITLE, ctx.noStream ?? 'the body was not read');
  const r = ctx.stream.record;
  const retry = r.retryMs ?? ctx.exp.defaultRetryMs;
  const ids = r.events.filter((e) => e.id !== undefined).length;
  const header = r.lastEventId === '' ? 'no Last-Event-ID' : `Last-Event-ID: ${show(r.lastEventId, 80)}`;
  const done = ctx.stream.analysis.done.length > 0;
  const next = `reconnects after ${ms(retry)}${r.retryMs === undefined ? ' (no retry: sent; Chromium default)' : ' (retry:)'} with ${header}`;
  const observed = done
    ? `after done and ${r.end.reason}, EventSource ${next} unless the page calls close() on done; the answer would be requested again`
    : `on ${r.end.reason} without done, EventSource ${next}`;
  const evidence = { retryMs: r.retryMs ?? null, reconnectAfterMs: retry, eventsWithId: ids, lastEventId: r.lastEventId, ending: r.end.reason, rule: RULE };
  const bytes = new TextEncoder().encode(r.lastEventId).length;
  if (bytes > 128 || UNSAFE.test(r.lastEventId)) {
    return verdict(ctx, ID, {
      status: 'warn',
      title: TITLE,
      expected: 'a Last-Event-ID a browser sends without a CORS preflight',
      observed: `${observed}; that id ${bytes > 128 ? `is ${bytes} bytes (> 128)` : 'has CORS-unsafe bytes'}, so the reconnect needs a preflight`,
      remedy: 'use short ids of letters, digits, "-" or "."; or allow last-event-id in Access-Control-Allow-Headers of the preflight',
      evidence: { ...evidence, rule: 'Fetch CORS-safelisted request-header; WPT eventsource-cross-origin-preflight (S-REQ-6)' },
    });
  }
  return verdict(ctx, ID, { status: 'pass', title: TITLE, expected: 'informational', observed, evidence });
}
