/**
 * Timing as the user and the proxies in between experience it: time to the first event, the
 * longest pause between events, and silence long enough for an idle timeout to cut the stream.
 */
import type { Finding } from '../../core/finding.js';
import { headersAt, ms, skip, verdict, type StreamContext } from './context.js';

export function judgeFirstEvent(ctx: StreamContext): Finding {
  const id = 'sse.first-event';
  const limit = ctx.exp.firstEventMs;
  const title = `the first event arrives within ${ms(limit)}`;
  if (!ctx.stream) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  const { record, analysis } = ctx.stream;
  const first = record.events[0];
  if (!first) return skip(ctx, id, title, 'no event was dispatched (see sse.done)');
  const firstToken = analysis.events.find((c) => c.kind === 'token' || c.kind === 'delta')?.event;
  const evidence = { headersMs: ctx.obs.timings.ttfbMs ?? null, firstByteMs: record.chunks.firstAtMs ?? null, firstEventMs: first.atMs, firstTokenMs: firstToken?.atMs ?? null };
  const observed = `${ms(first.atMs)} after the request${firstToken ? ` (first token at ${ms(firstToken.atMs)})` : ''}`;
  if (first.atMs <= limit) return verdict(ctx, id, { status: 'pass', title, expected: `<= ${ms(limit)}`, observed, evidence });
  return verdict(ctx, id, {
    status: 'warn',
    title,
    expected: `<= ${ms(limit)}`,
    observed,
    remedy: 'send an event (metadata, or a comment line) as soon as the request is accepted, before retrieval and the model call; users see nothing until then',
    evidence,
  });
}

export function judgeGaps(ctx: StreamContext): Finding {
  const id = 'sse.gaps';
  const limit = ctx.exp.maxGapMs;
  const title = `no pause between events longer than ${ms(limit)}`;
  if (!ctx.stream) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  const events = ctx.stream.record.events;
  if (events.length < 2) return skip(ctx, id, title, `${events.length} event(s): no gap to measure`);
  let gap = -1;
  let at = 1;
  let prevAt = events[0]?.atMs ?? 0;
  for (const [i, e] of events.entries()) {
    if (i > 0 && e.atMs - prevAt > gap) {
      gap = e.atMs - prevAt;
      at = i;
    }
    prevAt = e.atMs;
  }
  const beforeAt = timeOf(events, at - 1);
  const afterAt = timeOf(events, at);
  const observed = `${ms(gap)} between event #${at - 1} and #${at} (at ${ms(beforeAt)} and ${ms(afterAt)})`;
  const evidence = { maxGapMs: gap, from: at - 1, to: at, events: events.length };
  if (gap <= limit) return verdict(ctx, id, { status: 'pass', title, expected: `<= ${ms(limit)}`, observed, evidence });
  return verdict(ctx, id, {
    status: 'fail',
    title,
    expected: `<= ${ms(limit)}`,
    observed,
    remedy: 'find what blocks the generator between these events (a synchronous call, a slow tool or retrieval step) and stream progress while it runs',
    evidence,
  });
}

export function judgeHeartbeat(ctx: StreamContext): Finding {
  const id = 'sse.heartbeat';
  const { heartbeatMs: every, heartbeatMinStreamMs: minStream } = ctx.exp;
  const title = `a long stream sends an event or comment at least every ${ms(every)}`;
  if (!ctx.stream) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  const r = ctx.stream.record;
  const t0 = headersAt(ctx);
  const duration = r.end.atMs - t0;
  if (duration < minStream) return skip(ctx, id, title, `the stream lasted ${ms(duration)}; heartbeats matter for streams of ${ms(minStream)} or more`);
  const s = r.signals;
  // Silence before the first signal, the largest between two, and after the last.
  const silences = s.count === 0 ? [duration] : [(s.firstAtMs ?? t0) - t0, s.maxGapMs, r.end.atMs - (s.lastAtMs ?? r.end.atMs)];
  const longest = Math.max(...silences);
  const hints = ['server', 'via', 'cf-ray', 'fly-request-id'].filter((h) => ctx.stream?.response.headers[h] !== undefined);
  const evidence = {
    durationMs: duration,
    longestSilenceMs: longest,
    comments: r.commentCount,
    events: r.events.length,
    proxyHeaders: hints.map((h) => `${h}: ${ctx.stream?.response.headers[h]}`),
  };
  const observed = `longest silence ${ms(longest)} in a ${ms(duration)} stream (${r.commentCount} comments)`;
  if (longest <= every) return verdict(ctx, id, { status: 'pass', title, expected: `silence <= ${ms(every)}`, observed, evidence });
  return verdict(ctx, id, {
    status: 'warn',
    title,
    expected: `silence <= ${ms(every)}`,
    observed,
    remedy: 'send a comment line (": ping") every 15 s while the answer is idle (§9.2.7 authoring notes); proxies and load balancers cut silent connections after 60-100 s',
    evidence,
  });
}

function timeOf(events: ReadonlyArray<{ atMs: number }>, i: number): number {
  return events[i]?.atMs ?? 0;
}
