import { TARGETS, type Finding, type TargetName } from '../../core/finding.js';
import type { Check, CheckContext } from '../runner.js';
import type { HttpObservation } from '../../http/types.js';
import { appGet, observe } from '../target.js';
import { hasLagMetric, judgeLag, judgeMetrics } from './rules.js';
import { auditWindow, firstWindow, inWindow, MIN_WINDOW_MS, type Scrape, serverNow } from './window.js';

export interface MetricsChecks {
  /** `metrics`: scrapes each target at the start of the run, judges `metrics.available` and opens the lag window. */
  open: Check;
  /** `metrics.eventloop-lag`: the closing scrape; judges the window the audit's own traffic filled. */
  close: Check;
}

async function scrape(ctx: CheckContext, target: TargetName, path: string): Promise<{ obs: HttpObservation; atMs: number }> {
  const obs = await observe(ctx, appGet(ctx, target, 'metrics', path));
  return { obs, atMs: Date.now() };
}

/** Wait, but never past an abort of the run. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The two halves of the metrics check; run `open` first and `close` after the traffic whose lag it judges. */
export function metricsChecks(): MetricsChecks {
  const opened = new Map<TargetName, Scrape>();
  const open: Check = {
    id: 'metrics',
    title: 'metrics endpoints',
    async run(ctx) {
      const results = await Promise.all(
        TARGETS.map(async (target) => {
          const path = ctx.config.targets[target].metricsPath;
          if (path === null) return judgeMetrics(undefined, ctx.config.metrics.eventLoopLagMs, target).findings;
          const { obs, atMs } = await scrape(ctx, target, path);
          const { findings, exposition } = judgeMetrics(obs, ctx.config.metrics.eventLoopLagMs, target);
          // The lag is judged by `close`, unless there is none to judge (no metrics, not a Node service).
          if (!exposition || !hasLagMetric(exposition)) return findings;
          opened.set(target, { atMs, serverNowS: serverNow(obs, atMs), exposition });
          return findings.filter((f) => f.id !== 'metrics.eventloop-lag');
        }),
      );
      return results.flat();
    },
  };
  const close: Check = {
    id: 'metrics.eventloop-lag',
    title: "event-loop lag over the audit's window",
    async run(ctx) {
      const limit = ctx.config.metrics.eventLoopLagMs;
      const results = await Promise.all(
        [...opened].map(async ([target, first]): Promise<Finding> => {
          await pause(first.atMs + MIN_WINDOW_MS - Date.now(), ctx.signal);
          const { obs, atMs } = await scrape(ctx, target, ctx.config.targets[target].metricsPath as string);
          const { findings, exposition } = judgeMetrics(obs, limit, target);
          const lag = findings.find((f) => f.id === 'metrics.eventloop-lag');
          if (exposition && lag && lag.status !== 'skip') return inWindow(lag, auditWindow(first, { atMs, serverNowS: serverNow(obs, atMs), exposition }));
          const why = `the audit's own window could not be judged (${lag?.observed ?? findings[0]?.observed ?? 'no answer'})`;
          return inWindow(judgeLag(first.exposition, limit, target), firstWindow(first, why));
        }),
      );
      return results;
    },
  };
  return { open, close };
}
