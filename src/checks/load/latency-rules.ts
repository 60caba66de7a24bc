/**
 * `load.ttft`, `load.itl`, `load.e2e` (p50/p90/p99/max across all streams against `stream.slo`)
 * and `load.goodput` (the share of streams that ended with done AND met every objective).
 */
import { finding, type Finding, type JsonValue } from '../../core/finding.js';
import type { Slo } from '../../latency/slo.js';
import type { LoadRecord } from './types.js';

type Hist = { [key: string]: JsonValue };

const ms = (v: unknown) => (typeof v === 'number' ? `${v < 10 ? v.toFixed(2) : Math.round(v)} ms` : 'n/a');
const pct = (v: number) => `${(v * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
const line = (h: Hist) => `p50 ${ms(h.p50)}, p90 ${ms(h.p90)}, p99 ${ms(h.p99)}, max ${ms(h.max)}`;

const FIGURES = [
  {
    id: 'load.ttft',
    key: 'ttft',
    limit: (s: Slo) => s.ttftMs,
    what: 'time to first token',
    unit: 'streams',
    from: 'request sent → first content event',
    remedy: 'answers start late under load: look at queueing before generation (workers, connection pools, the model call)',
  },
  {
    id: 'load.itl',
    key: 'itl',
    limit: (s: Slo) => s.itlP99Ms,
    what: 'gap between token deliveries',
    unit: 'gaps',
    from: 'one content delivery → the next, all streams',
    remedy: 'tokens stall under load: the generator or the event loop is shared too thinly; add workers or batch less per step',
  },
  {
    id: 'load.e2e',
    key: 'e2e',
    limit: (s: Slo) => s.e2eMs,
    what: 'time to done',
    unit: 'streams',
    from: 'request sent → done dispatched',
    remedy: 'whole answers take too long under load: scale generation, or shorten answers',
  },
] as const;

export function judgeLatency(run: LoadRecord, slo: Slo): Finding[] {
  return FIGURES.map((f) => {
    const h = run[f.key];
    const limit = f.limit(slo);
    const title = `${f.what} under load, p99 <= ${limit} ms`;
    if (typeof h.count !== 'number' || h.count === 0) {
      return finding({
        id: f.id,
        target: 'rag',
        status: 'skip',
        title,
        expected: 'a load run to judge',
        observed: f.key === 'itl' ? 'no stream delivered content twice' : `no stream reached its ${f.key === 'ttft' ? 'first content event' : 'done'}`,
      });
    }
    const p99 = h.p99 as number;
    const ok = p99 <= limit;
    const coalesced = f.key === 'itl' && run.coalescedStreams > 0 ? `; ${run.coalescedStreams} stream(s) coalesced (gaps are between deliveries, not events)` : '';
    return finding({
      id: f.id,
      target: 'rag',
      status: ok ? 'pass' : 'fail',
      title: `${f.what} under load: p99 ${ms(p99)} (limit ${limit} ms)`,
      expected: `p99 of ${f.from} <= ${limit} ms`,
      observed: `${line(h)} over ${h.count} ${f.unit}${coalesced}`,
      remedy: ok ? undefined : f.remedy,
      evidence: { histogram: h, buckets: run.buckets[f.key], from: f.from },
    });
  });
}

export function judgeGoodput(run: LoadRecord, threshold: number): Finding {
  const id = 'load.goodput';
  const g = run.goodput;
  const title = `at least ${pct(threshold)} of streams end with done and meet every objective`;
  if (g.judged === 0) return finding({ id, target: 'rag', status: 'skip', title, expected: 'a load run to judge', observed: 'no stream ended' });
  const rate = g.good / g.judged;
  const ok = rate >= threshold;
  const slo = g.slo;
  const missed = Object.entries(g.missed)
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  return finding({
    id,
    target: 'rag',
    status: ok ? 'pass' : 'fail',
    title: `goodput ${pct(rate)}: ${g.good} of ${g.judged} streams good (need >= ${pct(threshold)})`,
    expected: `>= ${pct(threshold)} of streams end with done, first token <= ${slo.ttftMs} ms, their own delivery-gap p99 <= ${slo.itlP99Ms} ms and done <= ${slo.e2eMs} ms`,
    observed: `${g.good} of ${g.judged} streams met every objective${missed ? `; missed: ${missed}` : ''}; success rate alone: ${run.completed} ended with done`,
    remedy: ok
      ? undefined
      : 'the streams that ended still failed their readers: see which objective they missed (evidence.missed) and the matching load.ttft / load.itl / load.e2e',
    evidence: { ...g, missed: { ...g.missed } },
  });
}
