/**
 * `sse.disconnect.cleanup`, the rule: from outside, only a server-side observable proves the
 * server stopped generating after the client left (docs/browser-rules.md P-5). A gauge that
 * rose with our stream and fell back within the deadline passes; a gauge that stayed up fails;
 * anything that leaves the cause open (no gauge, a gauge that moves by itself, a stream that
 * finished before we left) is `skip` with the reason, never `pass`.
 */
import { finding, type Finding, type JsonValue } from '../../core/finding.js';
import type { StreamEnd } from '../../sse/types.js';
import type { GaugeSample } from './gauge.js';

export interface StreamSummary {
  status?: number;
  contentType?: string;
  firstEventMs?: number;
  events: number;
  end?: StreamEnd;
  error?: string;
}

export interface DisconnectObservation {
  kind: 'disconnect';
  target: 'rag';
  gauge: string;
  metricsUrl: string | null;
  deadlineMs: number;
  pollMs: number;
  /** The bound after which we drop a stream that has dispatched no event while the gauge is up. */
  dropAfterMs?: number;
  /** Scrapes before our stream opened. */
  baseline: GaugeSample[];
  /** ms since the probe started, when our stream dispatched its first event (if that is what dropped it). */
  firstEventMs?: number;
  /**
   * What made us drop the stream: its first event, or `dropAfterMs` passing with the gauge up
   * and no event yet (a compressing or buffering layer holds them). Absent: we never dropped it.
   */
  trigger?: 'first-event' | 'time';
  /** ms from opening our stream to dropping it. */
  droppedAfterMs?: number;
  /** Scrapes while our stream was open. */
  open: GaugeSample[];
  abortedAtMs?: number;
  /** Scrapes after we disconnected. */
  after: GaugeSample[];
  stream?: StreamSummary;
  /** A new stream opened after the disconnect, read to its first event. */
  second?: StreamSummary;
  interrupted?: boolean;
}

const ID = 'sse.disconnect.cleanup';
const TITLE = 'the server stops generating when the client disconnects';
const REMEDY =
  'stop the generator when the client goes away: let the cancellation reach it (do not swallow asyncio.CancelledError, no detached asyncio.create_task for generation), or check await request.is_disconnected() between tokens; release the gauge in a finally block';

export function judgeDisconnect(obs: DisconnectObservation): Finding {
  const expected = `${obs.gauge} rises by 1 while our stream is open and is back at its baseline within ${obs.deadlineMs} ms after we disconnect; a new stream is served`;
  const evidence = evidenceOf(obs);
  const skip = (reason: string) => finding({ id: ID, target: 'rag', status: 'skip', title: TITLE, expected, observed: reason, evidence });
  const second = obs.second;
  if (second && (second.status !== 200 || second.firstEventMs === undefined)) {
    return finding({
      id: ID,
      target: 'rag',
      status: 'fail',
      title: 'after a client disconnected, the server did not serve a new stream',
      expected,
      observed: `second stream: ${describe(second)}`,
      remedy: 'a client leaving mid-answer must not break the service: look for an unhandled error on disconnect (write after close, a crashed worker) in the server log',
      evidence,
    });
  }
  if (obs.interrupted) return skip('the run was interrupted before the probe finished');
  // Audit logs written before `trigger` existed dropped only after the first event.
  const trigger = obs.trigger ?? (obs.firstEventMs !== undefined ? 'first-event' : undefined);
  if (trigger === undefined)
    return skip(
      `our stream dispatched no event, and the gauge did not rise within ${obs.dropAfterMs ?? 0} ms, so there was nothing to disconnect from (${obs.stream ? describe(obs.stream) : 'no stream'}); see sse.status and sse.done`,
    );
  if (obs.metricsUrl === null) return skip('the RAG exposes no metrics (targets.rag.metricsPath is null): server-side cleanup cannot be observed from outside');
  const base = obs.baseline[0]?.value;
  const failed = [...obs.baseline, ...obs.open, ...obs.after].find((s) => s.value === undefined);
  if (base === undefined || failed) return skip(`cannot read ${obs.gauge}: ${failed?.error ?? 'no scrape'}; set stream.disconnect.gauge to the RAG's active-streams gauge`);
  if (obs.baseline.some((s) => s.value !== base))
    return skip(`too noisy to judge: ${obs.gauge} moved while we had no stream open (${values(obs.baseline)}), other clients' streams move it`);
  if (obs.stream?.end !== 'aborted')
    return skip(`the answer ended by itself (${obs.stream?.end ?? 'unknown'}) before we disconnected: cleanup after a disconnect was not observed`);
  const risen = obs.open.at(-1)?.value;
  if (risen === base) return skip(`${obs.gauge} stayed at ${base} while our stream was open: it does not count this endpoint's streams`);
  if (risen !== base + 1) return skip(`too noisy to judge: ${obs.gauge} went from ${base} to ${risen} when our one stream opened`);
  const released = obs.after.find((s) => (s.value as number) <= base);
  const after = (s: GaugeSample) => s.atMs - (obs.abortedAtMs ?? 0);
  if (released) {
    return finding({
      id: ID,
      target: 'rag',
      status: 'pass',
      title: TITLE,
      expected,
      observed: `${obs.gauge} ${base} → ${base + 1} with our stream, back to ${released.value} ${after(released)} ms after we disconnected (${dropped(obs, trigger)})`,
      evidence,
    });
  }
  if (obs.after.some((s) => (s.value as number) > base + 1))
    return skip(`too noisy to judge: ${obs.gauge} rose above ${base + 1} after we disconnected (${values(obs.after)}), other clients' streams move it`);
  const last = obs.after.at(-1);
  return finding({
    id: ID,
    target: 'rag',
    status: 'fail',
    title: 'the server kept our stream going after we disconnected',
    expected,
    observed: `${obs.gauge} still ${last?.value ?? risen} ${last ? after(last) : 0} ms after we disconnected (baseline ${base}, deadline ${obs.deadlineMs} ms; ${dropped(obs, trigger)})`,
    remedy: REMEDY,
    evidence,
  });
}

/** Which trigger dropped our stream, in words: the evidence a reader needs to trust a verdict behind a buffer. */
function dropped(obs: DisconnectObservation, trigger: 'first-event' | 'time' | undefined): string {
  const after = obs.droppedAfterMs !== undefined ? ` ${obs.droppedAfterMs} ms after opening it` : '';
  if (trigger === 'time') return `dropped${after} with the gauge up and no event yet (a compressing or buffering layer, or a slow first token, held them)`;
  if (trigger === 'first-event') return `dropped after its first event${after}`;
  return 'never dropped';
}

function describe(s: StreamSummary): string {
  if (s.status === undefined) return s.error ?? 'no response';
  const type = s.contentType ? `, ${s.contentType}` : '';
  return `${s.status}${type}, ${s.events} event(s)${s.end ? `, ended ${s.end}` : ''}${s.error ? ` (${s.error})` : ''}`;
}

function values(samples: readonly GaugeSample[]): string {
  return samples.map((s) => s.value ?? '?').join(', ');
}

function evidenceOf(obs: DisconnectObservation): { [key: string]: JsonValue } {
  const line = (samples: readonly GaugeSample[], from = 0) => samples.map((s) => `${s.value ?? `error: ${s.error}`} @${s.atMs - from} ms`);
  return {
    gauge: obs.gauge,
    metrics: obs.metricsUrl,
    dropped: dropped(obs, obs.trigger ?? (obs.firstEventMs !== undefined ? 'first-event' : undefined)),
    baseline: line(obs.baseline),
    whileOpen: line(obs.open),
    afterDisconnect: line(obs.after, obs.abortedAtMs ?? 0),
    stream: obs.stream ? describe(obs.stream) : null,
    secondStream: obs.second ? describe(obs.second) : null,
    rule: 'docs/browser-rules.md P-5',
  };
}
