import { finding, type Finding } from '../../core/finding.js';
import type { HttpObservation } from '../../http/types.js';
import { noResponse, requestLine, skipped } from '../../core/verdicts.js';
import { type Exposition, parseExposition } from '../../prometheus/exposition.js';
import { readLag } from '../../prometheus/lag.js';
import { LAG } from '../../prometheus/names.js';

/** prom-client's names, best first: p99 over the monitoring window, then the instantaneous lag. */
const LAG_METRICS = [LAG.p99, LAG.instant] as const;

/** Parse a /metrics answer; `skip` (never pass) when the target exposes none. */
export function judgeMetrics(obs: HttpObservation | undefined, lagLimitMs: number, target: HttpObservation['target']): { findings: Finding[]; exposition?: Exposition } {
  if (!obs) return { findings: [skipped('metrics.available', target, `${target} metrics`, 'no metrics path configured for this target (metricsPath: null)')] };
  const res = obs.response;
  if (!res) return { findings: [noResponse('metrics.available', `${target} metrics`, obs)] };
  if (res.status === 404) {
    return {
      findings: [
        skipped('metrics.available', target, `${target} metrics`, `${requestLine(obs)} answered 404: the target exposes no metrics there`),
        lagSkip(target, 'no metrics exposed'),
      ],
    };
  }
  if (res.status !== 200) {
    const f = finding({
      id: 'metrics.available',
      target,
      status: 'fail',
      title: `${target} metrics answer 200`,
      expected: '200 with Prometheus text',
      observed: `${res.status}`,
      remedy: 'serve the Prometheus registry on the metrics path',
      evidence: { request: requestLine(obs) },
    });
    return { findings: [f, lagSkip(target, `metrics answered ${res.status}`)] };
  }
  const exposition = parseExposition(res.body);
  const bad = exposition.errors[0];
  const available = finding({
    id: 'metrics.available',
    target,
    status: exposition.families.size === 0 || bad ? 'warn' : 'pass',
    title: `${target} metrics are Prometheus text`,
    expected: 'a parseable Prometheus exposition',
    observed: bad ? `line ${bad.line}: ${bad.message}: ${bad.text}` : `${exposition.families.size} metric families${res.truncated ? ' (cut at the byte cap)' : ''}`,
    remedy: bad ? 'fix the exporter so every line follows the text exposition format' : undefined,
  });
  return { findings: [available, judgeLag(exposition, lagLimitMs, target)], exposition };
}

/** Whether a scrape exposes prom-client's event-loop lag at all (a Python service does not). */
export function hasLagMetric(exp: Exposition): boolean {
  return readLag(exp).kind !== 'absent';
}

function lagSkip(target: HttpObservation['target'], reason: string): Finding {
  return skipped('metrics.eventloop-lag', target, `${target} event-loop lag`, `not judged: ${reason}`);
}

export function judgeLag(exp: Exposition, limitMs: number, target: HttpObservation['target']): Finding {
  const lag = readLag(exp);
  if (lag.kind === 'absent') return lagSkip(target, `none of ${LAG_METRICS.join(', ')} is exposed (not a Node service, or default metrics are off)`);
  if (lag.kind === 'empty') return lagSkip(target, 'the event-loop histogram holds no samples for this window (another scrape had just reset it)');
  const { metric: name, seconds: value, floorS: floor, maxS: max } = lag;
  if (!Number.isFinite(value)) return lagSkip(target, `${name} is ${value}`);
  const ms = (value - floor) * 1000;
  const ok = ms <= limitMs;
  const how = floor > 0 ? ` (p99 ${(value * 1000).toFixed(2)} ms minus the ${(floor * 1000).toFixed(2)} ms sampling floor)` : '';
  return finding({
    id: 'metrics.eventloop-lag',
    target,
    status: ok ? 'pass' : 'fail',
    title: `${target} event-loop lag under ${limitMs} ms`,
    expected: `${name} <= ${limitMs} ms`,
    observed: `${ms.toFixed(2)} ms${how}${max !== undefined ? ` (max ${(max * 1000).toFixed(2)} ms)` : ''}`,
    remedy: ok ? undefined : 'move CPU-bound work off the event loop (worker threads, streaming, smaller synchronous chunks)',
    evidence: { metric: name, ...(floor > 0 ? { samplingFloorMetric: LAG.min } : {}) },
  });
}
