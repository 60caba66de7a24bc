/**
 * The checks each auditing command runs, by name: the commands of the same name and the
 * exporter's built-in modules use this one table. Each set is imported only when it runs.
 */
import type { CheckPlan } from '../checks/runner.js';

export const CHECK_SET_NAMES = ['audit', 'health', 'preflight', 'headers', 'stream'] as const;
export type CheckSetName = (typeof CHECK_SET_NAMES)[number];

const stream = async (): Promise<CheckPlan> => [...(await import('../checks/stream/index.js')).STREAM_CHECKS];
/** The metrics scrape opens the event-loop window, the health requests fill it, the closing scrape judges it. */
const health = async () => {
  const [{ healthCheck }, { metricsChecks }] = await Promise.all([import('../checks/health/index.js'), import('../checks/metrics/index.js')]);
  const metrics = metricsChecks();
  return [metrics.open, healthCheck, metrics.close];
};

export const CHECK_SETS: Record<CheckSetName, () => Promise<CheckPlan>> = {
  /**
   * Every check. The metrics scrape first opens the audit's own event-loop window and the closing
   * scrape after its traffic judges it. Between them, what the target cannot tell from one
   * client's burst runs together: health, the CORS preflight and headers (probes included) and the
   * empty query, none of them timed finely. The answer stream runs alone, since its timing verdicts
   * (TTFT, ITL, buffering) are read by our client, whose own work would show in them. The
   * disconnect check goes last, alone: it reads the active-streams gauge, which any other stream of
   * ours would move, and its gauge scrapes reset the lag histogram, so the lag window closes before it.
   */
  audit: async () => {
    const [{ healthCheck }, { metricsChecks }, { preflightCheck, headersCheck }, { streamCheck, emptyQueryCheck, disconnectCheck }] = await Promise.all([
      import('../checks/health/index.js'),
      import('../checks/metrics/index.js'),
      import('../checks/cors/index.js'),
      import('../checks/stream/index.js'),
    ]);
    const metrics = metricsChecks();
    return [metrics.open, [healthCheck, preflightCheck, headersCheck, emptyQueryCheck], streamCheck, metrics.close, disconnectCheck];
  },
  health,
  preflight: async () => [(await import('../checks/cors/index.js')).preflightCheck],
  headers: async () => [(await import('../checks/cors/index.js')).headersCheck],
  stream,
};
