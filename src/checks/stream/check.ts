/**
 * The stream checks as the runner sees them, in the order they must run: the answer stream (and
 * its replayed reconnect), the empty query, and last the disconnect probe, so no other stream of
 * ours is open while it reads the server's active-streams gauge.
 */
import { waived } from '../../core/verdicts.js';
import { compileStampReader } from '../../latency/tokens.js';
import { isWaived, type Check, type CheckContext } from '../runner.js';
import { judgeStreamCors } from './cors.js';
import { judgeDisconnect } from './disconnect.js';
import { probeDisconnect } from './disconnect-probe.js';
import { judgeEmptyQuery } from './empty-query.js';
import { streamCall } from '../stream-call.js';
import { probeStream } from './probe.js';
import { judgeReplay, replayHeaders, replayNotNeeded, REPLAY_ID } from './replay.js';
import { judgeStream } from './rules.js';
import { streamTimeline } from './timeline.js';
import type { StreamObservation } from './types.js';

export const streamCheck: Check = {
  id: 'sse',
  title: 'answer stream',
  async run(ctx) {
    const cfg = ctx.config.stream;
    const call = streamCall(ctx.config, cfg.query);
    const obs = await probeStream(ctx, { purpose: 'sse.stream', call });
    // The server's generation stamp, where the config says there is one (off for real targets): the timeline shows both times.
    const timeline = streamTimeline(obs, cfg, cfg.generatedAtField === undefined ? undefined : compileStampReader(cfg.generatedAtField));
    if (timeline) ctx.attach?.(timeline);
    return [...judgeStream(obs, cfg), judgeStreamCors(obs, ctx.config.origin, call), await replayAfterDone(ctx, obs)];
  },
};

/** Replay the browser's reconnect after done: same URL, Last-Event-ID when ids were sent; read only to its first event. fetch() never replays. */
async function replayAfterDone(ctx: CheckContext, first: StreamObservation) {
  const cfg = ctx.config.stream;
  if (isWaived(REPLAY_ID, ctx.config.skip)) {
    return waived(REPLAY_ID, 'rag', 'reconnect after done');
  }
  if (replayNotNeeded(first, cfg) !== undefined) return judgeReplay(first, undefined, cfg);
  const replay = await probeStream(ctx, {
    purpose: 'sse.replay',
    call: streamCall(ctx.config, cfg.query),
    url: first.request.url,
    headers: replayHeaders(first),
    stopAfterEvents: 1,
  });
  return judgeReplay(first, replay, cfg);
}

export const emptyQueryCheck: Check = {
  id: 'sse.empty-query',
  title: 'answer stream: empty query',
  async run(ctx) {
    const obs = await probeStream(ctx, { purpose: 'sse.empty-query', call: streamCall(ctx.config, ''), stopAfterEvents: 1 });
    return [judgeEmptyQuery(obs)];
  },
};

export const disconnectCheck: Check = {
  id: 'sse.disconnect',
  title: 'answer stream: cleanup after a disconnect',
  async run(ctx) {
    return [judgeDisconnect(await probeDisconnect(ctx))];
  },
};

/** Every stream check, the disconnect probe last. */
export const STREAM_CHECKS: readonly Check[] = [streamCheck, emptyQueryCheck, disconnectCheck];
