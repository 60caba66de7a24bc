/**
 * The I/O of `sse.disconnect.cleanup` (docs/browser-rules.md P-5): baseline the server's
 * active-streams gauge, open a stream and wait for its first event or `dropAfterMs` with the
 * gauge up (behind a compressor no event arrives before the end), see the gauge rise, drop the
 * connection, poll until the gauge is back, then open a second stream. It only observes; the
 * loop conditions say when there is nothing more worth waiting for, the rule decides.
 */
import type { CheckContext } from '../runner.js';
import { metricsUrl, scrapeGauge, type GaugeSample } from './gauge.js';
import { streamCall } from '../stream-call.js';
import { openStream, recordStream } from './probe.js';
import type { DisconnectObservation, StreamSummary } from './disconnect.js';
import type { StreamObservation } from './types.js';

/** Scrapes while our stream is open, waiting for a gauge that is updated late. */
const RISE_TRIES = 3;
/** The first wait between scrapes after we dropped the stream; it doubles up to pollMs. */
const FIRST_RELEASE_POLL_MS = 25;

export async function probeDisconnect(ctx: CheckContext): Promise<DisconnectObservation> {
  const { gauge, deadlineMs, pollMs, baselineSamples, dropAfterMs } = ctx.config.stream.disconnect;
  const t0 = performance.now();
  const since = () => Math.round(performance.now() - t0);
  const url = metricsUrl(ctx);
  const obs: DisconnectObservation = { kind: 'disconnect', target: 'rag', gauge, metricsUrl: url ?? null, deadlineMs, pollMs, dropAfterMs, baseline: [], open: [], after: [] };
  const scrape = (into: GaugeSample[]) => (url ? scrapeGauge(ctx, url, gauge, t0).then((s) => (into.push(s), s)) : Promise.resolve(undefined));
  const pause = () => sleep(pollMs, ctx.signal);

  for (let i = 0; url && i < baselineSamples && !ctx.signal.aborted; i++) {
    if (i > 0) await pause();
    const s = await scrape(obs.baseline);
    if (s?.value === undefined) break;
  }

  // fetch(): the app's AbortController drops the request the same way.
  const call = streamCall(ctx.config, ctx.config.stream.query);
  const stream = openStream(ctx, { purpose: 'sse.disconnect', call });
  const openedAt = since();
  let ended = false;
  let arrived = false;
  void stream.result.then(() => (ended = true));
  void stream.firstEvent.then((e) => (arrived = e !== undefined));
  const base = obs.baseline[0]?.value;
  const gaugeOk = obs.baseline.length > 0 && obs.baseline.every((s) => s.value !== undefined);
  // Whichever comes first: the first event, or dropAfterMs with the gauge up (a buffering layer holds every event).
  const early = await Promise.race([stream.firstEvent.then(() => 'event' as const), sleep(dropAfterMs, ctx.signal).then(() => 'time' as const)]);
  if (early === 'time' && gaugeOk && base !== undefined) {
    for (let i = 0; i < RISE_TRIES && !ended && !arrived && !ctx.signal.aborted; i++) {
      if (i > 0) await pause();
      const s = await scrape(obs.open);
      if (s?.value === base + 1 && !arrived) obs.trigger = 'time';
      if (s?.value !== base) break;
    }
  }
  if (obs.trigger === undefined && (await stream.firstEvent)) {
    obs.trigger = 'first-event';
    obs.firstEventMs = since();
    for (let i = 0; gaugeOk && i < RISE_TRIES && !ended && !ctx.signal.aborted; i++) {
      if (i > 0) await pause();
      const s = await scrape(obs.open);
      if (s?.value === undefined || s.value !== base) break;
    }
  }
  if (obs.trigger !== undefined) {
    obs.abortedAtMs = since();
    obs.droppedAfterMs = obs.abortedAtMs - openedAt;
    stream.abort();
  }
  const main = await stream.result;
  recordStream(ctx, main);
  // A layer that holds even the response head (nginx gzip until the answer is complete) leaves
  // nothing to read when we drop at dropAfterMs: no head is still our abort, not an answer that ended.
  const abortedByUs = obs.trigger !== undefined && (main.record?.end.reason === 'aborted' || (main.response === undefined && main.record === undefined));
  obs.stream = { ...summary(main), ...(abortedByUs && { end: 'aborted' }) };

  const rose = base !== undefined && obs.open.at(-1)?.value === base + 1 && abortedByUs;
  // A server usually releases the gauge within milliseconds of seeing the connection close, so the
  // first polls after the drop come quickly (25, 50, 100 ms, then every pollMs): the verdict
  // (back within deadlineMs) is the same, the audit does not wait a whole pollMs to see it.
  for (let i = 0; rose && !ctx.signal.aborted; i++) {
    const s = await scrape(obs.after);
    if (s?.value === undefined || s.value <= base || s.atMs - (obs.abortedAtMs ?? 0) >= deadlineMs) break;
    await sleep(Math.min(pollMs, FIRST_RELEASE_POLL_MS * 2 ** i), ctx.signal);
  }

  if (obs.trigger !== undefined && !ctx.signal.aborted) {
    const second = await openStream(ctx, { purpose: 'sse.disconnect.second', call, stopAfterEvents: 1 }).result;
    recordStream(ctx, second);
    obs.second = summary(second);
  }
  obs.interrupted = ctx.signal.aborted;
  ctx.record('observation', obs);
  return obs;
}

function summary(o: StreamObservation): StreamSummary {
  return {
    ...(o.response && { status: o.response.status }),
    ...(o.response?.headers['content-type'] !== undefined && { contentType: o.response.headers['content-type'] }),
    ...(o.record?.events[0] && { firstEventMs: o.record.events[0].atMs }),
    events: o.record?.events.length ?? 0,
    ...(o.record && { end: o.record.end.reason }),
    ...(o.error && { error: o.error.message }),
  };
}

/** Wait, but never past an abort of the run. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
