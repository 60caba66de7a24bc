/**
 * `sse.ttft`, `sse.itl`, `sse.e2e`: the answer's latency as the reader feels it, from the
 * content events (src/latency/content.ts) of the stream, against `stream.slo`. The numbers are in
 * the titles; the whole distribution, coalescing and any server stamps are in the evidence.
 */
import type { Finding } from '../../core/finding.js';
import { timelineFor } from '../../latency/config.js';
import { formatContentMatcher } from '../../latency/content.js';
import { latencyEvidence, streamLatency, type StreamLatency } from '../../latency/figures.js';
import { ms, skip, verdict, type StreamContext } from './context.js';

const cache = new WeakMap<StreamContext, StreamLatency>();

/** The figures of this context's stream, computed once for the three judges. Events after done are not the answer. */
export function latencyOf(ctx: StreamContext): StreamLatency | undefined {
  if (!ctx.stream) return undefined;
  const hit = cache.get(ctx);
  if (hit) return hit;
  const { record, analysis } = ctx.stream;
  const t = timelineFor(ctx.exp);
  const doneAt = analysis.done[0] ?? record.events.length;
  for (const e of record.events.slice(0, doneAt)) t.event(e.atMs, e.type, e.data);
  const done = record.events[doneAt];
  if (done) t.done(done.atMs);
  t.finish();
  const figures = streamLatency(t, record.chunks.firstAtMs, ctx.exp.coalescing);
  cache.set(ctx, figures);
  return figures;
}

const contentRule = (ctx: StreamContext) => ctx.exp.content.map(formatContentMatcher).join(' | ');

export function judgeTtft(ctx: StreamContext): Finding {
  const id = 'sse.ttft';
  const limit = ctx.exp.slo.ttftMs;
  const title = `the first token arrives within ${ms(limit)}`;
  const l = latencyOf(ctx);
  if (!l) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  if (l.firstEventMs === null) return skip(ctx, id, title, 'no event was dispatched (see sse.done)');
  const evidence = { ...latencyEvidence(l), content: contentRule(ctx), from: 'request sent', to: 'first content event dispatched' };
  const expected = `first content event (${contentRule(ctx)}, non-empty text) <= ${ms(limit)} after the request`;
  const before = `first byte ${l.firstByteMs === null ? 'n/a' : ms(l.firstByteMs)}, first event ${ms(l.firstEventMs)}`;
  if (l.ttftMs === null) {
    return verdict(ctx, id, {
      status: 'fail',
      title: 'no token: the stream carried no content event',
      expected,
      observed: `${before}; none of the events before done had non-empty text under the content rule`,
      remedy: 'stream the answer as token/delta events with non-empty text; if this protocol names them differently, set stream.content (e.g. json:type=chunk)',
      evidence,
    });
  }
  const observed = `${before}, first token ${ms(l.ttftMs)}`;
  if (l.ttftMs <= limit) return verdict(ctx, id, { status: 'pass', title: `first token after ${ms(l.ttftMs)} (limit ${ms(limit)})`, expected, observed, evidence });
  const metadataFirst = l.firstEventMs < l.ttftMs;
  return verdict(ctx, id, {
    status: 'fail',
    title: `first token after ${ms(l.ttftMs)} (limit ${ms(limit)})`,
    expected,
    observed: metadataFirst ? `${observed}: the events before it carried no answer text` : observed,
    remedy: 'the reader stares at an empty answer until then: shorten what runs before generation (retrieval, reranking, queueing for the model) or stream a first token sooner',
    evidence,
  });
}

export function judgeItl(ctx: StreamContext): Finding {
  const id = 'sse.itl';
  const limit = ctx.exp.slo.itlP99Ms;
  const title = `tokens keep coming: gap p99 <= ${ms(limit)}`;
  const l = latencyOf(ctx);
  if (!l) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  if (l.contentEvents < 2) return skip(ctx, id, title, `${l.contentEvents} content event(s): no gap to measure`);
  const { perEvent, perDelivery, perToken } = l.itl;
  const c = l.coalescing;
  const evidence = { ...latencyEvidence(l), from: 'one content delivery', to: 'the next' };
  const expected = `p99 of the gaps between content deliveries <= ${ms(limit)}`;
  const tokenText = perToken ? `, per token p99 ${ms2(perToken.p99)}` : '';
  const eventText = `per event p50 ${ms2(perEvent.p50)}, p99 ${ms2(perEvent.p99)}, max ${ms2(perEvent.max)}`;
  if (perDelivery.count === 0 && (l.lastContentMs ?? 0) >= ctx.exp.coalescing.minStreamMs) {
    return verdict(ctx, id, {
      status: 'warn',
      title: `coalesced: all ${l.contentEvents} content events arrived in one delivery at ${ms(l.ttftMs ?? 0)}`,
      expected,
      observed: `${c.reasons.join('; ')}; ${eventText} is not what the reader saw: the whole answer appeared at once`,
      remedy: COALESCED_REMEDY,
      evidence,
    });
  }
  const headline = `gap p99 ${ms2(perDelivery.p99)}, max ${ms2(perDelivery.max)} over ${perDelivery.count} gaps`;
  const observed = `per delivery p50 ${ms2(perDelivery.p50)}, p90 ${ms2(perDelivery.p90)}, p99 ${ms2(perDelivery.p99)}, max ${ms2(perDelivery.max)}; ${eventText}${tokenText}`;
  const over = (perDelivery.p99 ?? 0) > limit;
  const noticeable = c.coalesced && (l.lastContentMs ?? 0) >= ctx.exp.coalescing.minStreamMs;
  if (over) {
    return verdict(ctx, id, {
      status: 'fail',
      title: `${c.coalesced ? 'coalesced, ' : ''}tokens stall: ${headline} (limit ${ms(limit)})`,
      expected,
      observed: c.coalesced ? `${observed}; ${c.reasons.join('; ')}` : observed,
      remedy: c.coalesced
        ? COALESCED_REMEDY
        : 'the answer stalls mid-sentence: find what blocks generation between these tokens (a tool call, a synchronous step, queueing at the model) and stream progress while it runs',
      evidence,
    });
  }
  if (noticeable) {
    return verdict(ctx, id, {
      status: 'warn',
      title: `coalesced: ${c.eventsPerDelivery} events per delivery; ${headline}`,
      expected,
      observed: `${c.reasons.join('; ')}; ${observed}`,
      remedy: COALESCED_REMEDY,
      evidence,
    });
  }
  if (perDelivery.count === 0) {
    return verdict(ctx, id, {
      status: 'pass',
      title: `the whole answer arrived at once, ${ms(l.lastContentMs ?? 0)} after the request`,
      expected,
      observed: `${c.reasons.join('; ')}: too fast for a reader to notice (under ${ms(ctx.exp.coalescing.minStreamMs)})`,
      evidence,
    });
  }
  const fast = c.coalesced ? `; ${c.reasons.join('; ')}, all within ${ms(l.lastContentMs ?? 0)}` : '';
  return verdict(ctx, id, { status: 'pass', title: `tokens every ${ms2(perDelivery.p50)} (${headline})`, expected, observed: `${observed}${fast}`, evidence });
}

export function judgeE2e(ctx: StreamContext): Finding {
  const id = 'sse.e2e';
  const limit = ctx.exp.slo.e2eMs;
  const title = `the whole answer (done) within ${ms(limit)}`;
  const l = latencyOf(ctx);
  if (!l) return skip(ctx, id, title, ctx.noStream ?? 'no stream');
  if (l.e2eMs === null) return skip(ctx, id, title, 'no done event (see sse.done)');
  const evidence = { e2eMs: l.e2eMs, ttftMs: l.ttftMs, contentEvents: l.contentEvents, tokens: l.tokens, from: 'request sent', to: 'done event dispatched' };
  const expected = `done dispatched <= ${ms(limit)} after the request`;
  const observed = `done at ${ms(l.e2eMs)}; ${l.contentEvents} content events${l.ttftMs !== null ? `, generated over ${ms(l.e2eMs - l.ttftMs)} after the first token` : ''}`;
  const t = `whole answer in ${ms(l.e2eMs)} (limit ${ms(limit)})`;
  if (l.e2eMs <= limit) return verdict(ctx, id, { status: 'pass', title: t, expected, observed, evidence });
  return verdict(ctx, id, {
    status: 'fail',
    title: t,
    expected,
    observed,
    remedy: 'answers take too long as a whole: shorten them (max tokens) or speed up generation; the reader waits this long for done',
    evidence,
  });
}

const COALESCED_REMEDY =
  'something between the generator and the reader holds events back and releases them together (a buffering proxy, compression without flush, a batching writer): flush after every event and turn buffering off for this route (nginx: X-Accel-Buffering: no)';

function ms2(v: number | null): string {
  if (v === null) return 'n/a';
  return v < 10 ? `${v.toFixed(1)} ms` : ms(v);
}
