/**
 * `sse.buffering`: a stream generated over time but delivered in one burst at the end, the mark
 * of a buffering proxy or a compressor without per-event flushes (docs/browser-rules.md P-1, P-2
 * rows 1–2). From outside only arrival times are visible, so this is a heuristic; its limits are
 * in docs/checks.md (Stream).
 */
import type { Finding } from '../../core/finding.js';
import type { SseEvent } from '../../sse/types.js';
import { headersAt, ms, skip, verdict, type StreamContext } from './context.js';

const ID = 'sse.buffering';
const TITLE = 'events arrive as they are generated, not in one burst at the end';

export function judgeBuffering(ctx: StreamContext): Finding {
  if (!ctx.stream) return skip(ctx, ID, TITLE, ctx.noStream ?? 'no stream');
  const { minEvents, minStreamMs, burstWindowMs, burstShare, spreadFraction } = ctx.exp.buffering;
  const { events, chunks } = ctx.stream.record;
  const last = events.at(-1);
  if (!last || events.length < minEvents) return skip(ctx, ID, TITLE, `${events.length} event(s): too few to judge (needs ${minEvents})`);
  const start = finalBurstStart(events, burstWindowMs);
  const burstAt = (events[start] as SseEvent).atMs;
  // Headers that arrive with the burst were held too: measure from the request instead.
  const headersHeld = burstAt - headersAt(ctx) <= burstWindowMs;
  const t0 = headersHeld ? 0 : headersAt(ctx);
  const total = last.atMs - t0;
  if (total < minStreamMs) {
    return skip(ctx, ID, TITLE, `every event arrived within ${ms(total)}: too fast to tell buffering from fast generation (needs ${ms(minStreamMs)})`);
  }
  const burst = events.length - start;
  const share = burst / events.length;
  const waited = burstAt - t0;
  const evidence = {
    events: events.length,
    burstEvents: burst,
    burstStartMs: burstAt,
    lastEventMs: last.atMs,
    measuredFromMs: t0,
    headersHeld,
    chunksWithEvents: new Set(events.map((e) => e.chunk)).size,
    chunksInBurst: new Set(events.slice(start).map((e) => e.chunk)).size,
    readChunks: chunks.count,
    heuristic: `fail when >= ${burstShare * 100}% of events arrive in a final burst (gaps <= ${burstWindowMs} ms) that starts after >= ${(1 - spreadFraction) * 100}% of the stream's time, unless the burst came about one event per read over more than ${burstWindowMs} ms (paced by the sender)`,
  };
  const observed = `${burst} of ${events.length} events arrived in one burst at ${ms(burstAt)}, after ${ms(waited)} of a ${ms(total)} stream`;
  if (share >= burstShare && waited >= (1 - spreadFraction) * total && !paced(events.slice(start), burstWindowMs)) {
    return verdict(ctx, ID, {
      status: 'fail',
      title: TITLE,
      expected: 'events spread over the stream as generated',
      observed,
      remedy:
        'turn off response buffering for this route (nginx: proxy_buffering off or X-Accel-Buffering: no on every nginx layer) and compression of text/event-stream; flush after each event',
      evidence,
    });
  }
  return verdict(ctx, ID, {
    status: 'pass',
    title: TITLE,
    expected: 'events spread over the stream as generated',
    observed: `the final burst holds ${burst} of ${events.length} events; the stream spans ${ms(total)}`,
    evidence,
  });
}

/**
 * A late run of events that came mostly one per read, over longer than the burst window, was
 * paced by the sender (a slow first event, then tokens as generated), not released from a buffer:
 * a buffer or compressor hands over many events per read. Coalescing only lowers the read count,
 * so this never excuses a real burst.
 */
function paced(burst: readonly SseEvent[], window: number): boolean {
  const first = burst[0];
  const last = burst.at(-1);
  if (!first || !last || burst.length < 2) return false;
  return new Set(burst.map((e) => e.chunk)).size >= burst.length / 2 && last.atMs - first.atMs > window;
}

/** Index of the first event of the run that ends with the last event, gaps all within `window`. */
function finalBurstStart(events: readonly SseEvent[], window: number): number {
  let start = events.length - 1;
  while (start > 0 && (events[start] as SseEvent).atMs - (events[start - 1] as SseEvent).atMs <= window) start--;
  return start;
}
