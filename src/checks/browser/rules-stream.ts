import { finding, type Finding } from '../../core/finding.js';
import { type CallVerdict, classifyStreamStart, describe } from './classify.js';
import type { ConsoleEntry, StreamOutcome } from './types.js';

const kindsText = (kinds: Record<string, number>) =>
  Object.entries(kinds)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** Why an opened stream did not end in done, as the page saw it (docs/browser-rules.md D-1: only a dispatched sentinel means complete). */
function unfinished(out: StreamOutcome): string {
  if (out.end === 'timeout') return `opened, ${out.events} events, no done within ${out.ms} ms`;
  if (out.end === 'cap') return `opened, ${out.events} events and still no done (stopped there)`;
  const next = out.readyState === 0 ? 'EventSource would reconnect and the answer would be generated again' : 'EventSource gave up';
  return `opened, ${out.events} events, then the stream ended without done: ${next}`;
}

/** The page's answer stream, by how the app opens it. */
export function judgeStreamCall(out: StreamOutcome, console: readonly ConsoleEntry[], exp: { origin: string }): Finding {
  return out.transport === 'fetch' ? judgeFetchStream(out, console, exp) : judgeEventSource(out, console, exp);
}

/** The app's fetch() stream read with a ReadableStream reader until done: readable, events, done. */
export function judgeFetchStream(out: StreamOutcome, console: readonly ConsoleEntry[], exp: { origin: string }): Finding {
  const passed = out.opened && out.doneSeen;
  // fetch() rejected: CORS or the network (the console says which); it resolved: the status.
  const start: CallVerdict | undefined = out.opened || out.status !== undefined ? undefined : classifyStreamStart(out, console);
  const observed = passed
    ? `readable (${out.status}); ${out.events} events (${kindsText(out.kinds)}); done seen and the page aborted the request`
    : start
      ? describe(start)
      : !out.opened
        ? `status ${out.status}: response.ok is false, the page reads no answer`
        : out.end === 'timeout'
          ? `readable, ${out.events} events, no done within ${out.ms} ms`
          : out.end === 'cap'
            ? `readable, ${out.events} events and still no done (stopped there)`
            : `readable, ${out.events} events, then the body ended without done: the page cannot tell a finished answer from a dropped one`;
  return finding({
    id: 'browser.fetch-stream',
    target: 'rag',
    status: passed ? 'pass' : 'fail',
    title: passed ? "the page's fetch() stream received the answer and done" : "the page's fetch() stream did not receive a complete answer",
    expected: `the stream is readable from ${exp.origin} (CORS with the request's credentials mode), status 200, and ends with a done`,
    observed,
    remedy: passed
      ? undefined
      : start?.kind === 'cors'
        ? `send Access-Control-Allow-Origin: ${exp.origin} (with Access-Control-Allow-Credentials: true for credentials: 'include') on the stream response and its preflight`
        : start?.kind === 'network'
          ? 'check that the URL is right and the service is up and reachable from this machine'
          : 'answer 200 and end every answer with a done before closing',
    evidence: {
      request: `${out.url}`,
      transport: 'fetch',
      ...(start?.kind === 'cors' ? { console: start.message } : {}),
      ...(out.error !== undefined && { error: out.error }),
      status: out.status ?? null,
      events: out.events,
      kinds: kindsText(out.kinds),
      doneSeen: out.doneSeen,
      end: out.end,
    },
    unreachable: start?.kind === 'network' && start.unreachable ? true : undefined,
  });
}

/** `new EventSource(<rag stream>, {withCredentials: false})` until done: opened, events, done. */
export function judgeEventSource(out: StreamOutcome, console: readonly ConsoleEntry[], exp: { origin: string }): Finding {
  const passed = out.opened && out.doneSeen;
  const start: CallVerdict | undefined = out.opened ? undefined : classifyStreamStart(out, console);
  const observed = passed ? `opened; ${out.events} events (${kindsText(out.kinds)}); done seen and the page closed the stream` : start ? describe(start) : unfinished(out);
  return finding({
    id: 'browser.eventsource',
    target: 'rag',
    status: passed ? 'pass' : 'fail',
    title: passed ? "the page's EventSource received the answer and done" : "the page's EventSource did not receive a complete answer",
    expected: `the stream opens from ${exp.origin} without credentials (Access-Control-Allow-Origin: ${exp.origin} or *), status 200, text/event-stream, and ends with a done event`,
    observed,
    remedy: passed
      ? undefined
      : start?.kind === 'cors'
        ? `send Access-Control-Allow-Origin: ${exp.origin} (or *) on the stream response`
        : start?.kind === 'network'
          ? 'check that the URL is right and the service is up and reachable from this machine'
          : 'answer 200 with Content-Type: text/event-stream and end every answer with a done event (data: {"type":"done"}) before closing',
    evidence: {
      request: `GET ${out.url}`,
      withCredentials: false,
      ...(start?.kind === 'cors' || start?.kind === 'rejected' ? { console: start.message } : {}),
      opened: out.opened,
      events: out.events,
      kinds: kindsText(out.kinds),
      doneSeen: out.doneSeen,
      end: out.end,
      readyState: out.readyState,
    },
    unreachable: start?.kind === 'network' && start.unreachable ? true : undefined,
  });
}
