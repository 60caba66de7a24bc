/**
 * `sse.reconnect-after-done`: after done and the close, a browser cannot tell a finished answer
 * from a dropped connection, so unless the page calls close() it sends the same GET again (with
 * Last-Event-ID when ids were sent) and the answer is generated twice (HTML §9.2.3; docs/browser-rules.md D-1
 * D-2/D-3). The probe replays that request; a 204 (or any non-200) ends EventSource for good.
 */
import { extractMimeEssence } from '../../fetch/mime.js';
import { finding, type Finding } from '../../core/finding.js';
import { createContext } from './context.js';
import type { StreamExpectation } from './expectation.js';
import type { StreamObservation } from './types.js';

export const REPLAY_ID = 'sse.reconnect-after-done';
const TITLE = 'a reconnect after done does not generate the answer again';
const RULE = 'HTML §9.2.1 (204 stops reconnection), §9.2.3 reestablish; docs/browser-rules.md S-RC-4, D-1';

/** Why the replay is not sent (no done to replay after, or no stream at all), or undefined to send it. */
export function replayNotNeeded(obs: StreamObservation, exp: StreamExpectation): string | undefined {
  if (obs.transport === 'fetch') return 'fetch() never repeats a request by itself: there is no reconnect to replay (sse.disconnect.cleanup judges the abort instead)';
  const ctx = createContext(obs, exp);
  if (!ctx.stream) return ctx.noStream ?? 'no stream';
  if (ctx.stream.analysis.done.length === 0) return 'the answer sent no done (see sse.done): the reconnect after it cannot be replayed';
  return undefined;
}

/** The `Last-Event-ID` a browser's reconnect carries: the last event ID string, when non-empty (§9.2.3 step 5). */
export function replayHeaders(obs: StreamObservation): Record<string, string> {
  const id = obs.record?.lastEventId ?? '';
  return id === '' ? {} : { 'last-event-id': id };
}

export function judgeReplay(first: StreamObservation, replay: StreamObservation | undefined, exp: StreamExpectation): Finding {
  const lastEventId = first.record?.lastEventId ?? '';
  const expected = '204 No Content (or another non-200) to the replayed GET, or a page that calls close() on done';
  const base = { id: REPLAY_ID, target: 'rag' as const, title: TITLE, expected };
  const why = replayNotNeeded(first, exp);
  if (why !== undefined || !replay) return finding({ ...base, status: 'skip', observed: why ?? 'not replayed' });
  const sent = lastEventId === '' ? 'without Last-Event-ID (no id was sent)' : `with Last-Event-ID: ${lastEventId}`;
  const evidence = { request: `GET ${replay.request.url}`, lastEventId: lastEventId === '' ? null : lastEventId, rule: RULE };
  const res = replay.response;
  if (!res) return finding({ ...base, status: 'skip', observed: `the replay ${sent} got no response: ${replay.error?.message ?? 'request failed'}`, evidence });
  const type = extractMimeEssence(res.headers['content-type']);
  if (res.status !== 200 || type !== 'text/event-stream') {
    const how =
      res.status === 204
        ? '204: EventSource stops reconnecting cleanly'
        : `${res.status} ${type ?? ''}: EventSource fails the connection and stops (an error event the page may show; 204 is the clean way)`;
    return finding({ ...base, status: 'pass', observed: `the replay ${sent} got ${how}`, evidence: { ...evidence, status: res.status } });
  }
  const events = replay.record?.events.length ?? 0;
  return finding({
    ...base,
    status: 'warn',
    title: 'a reconnect after done streams the answer again',
    observed: `the replay ${sent} got 200 text/event-stream${events > 0 ? ' and a new answer began' : ''}: a page that does not call close() on done gets the answer twice (and the model runs twice)`,
    remedy:
      'in the web app, call source.close() when done arrives; and/or on the server answer 204 to a request whose Last-Event-ID marks a finished answer (send an id: with each event so it can tell)',
    evidence: { ...evidence, status: 200, eventsBeforeWeStopped: events },
  });
}
