/**
 * The checks each auditing command runs, by name: the commands of the same name and the
 * exporter's built-in modules use this one table. Each set is imported only when it runs.
 */
import type { Check } from '../checks/runner.js';

export const CHECK_SET_NAMES = ['audit', 'health', 'preflight', 'headers', 'stream'] as const;
export type CheckSetName = (typeof CHECK_SET_NAMES)[number];

const stream = async () => [...(await import('../checks/stream/index.js')).STREAM_CHECKS];
/** The metrics scrape opens the event-loop window, the health requests fill it, the closing scrape judges it. */
const health = async () => {
  const [{ healthCheck }, { metricsChecks }] = await Promise.all([import('../checks/health/index.js'), import('../checks/metrics/index.js')]);
  const metrics = metricsChecks();
  return [metrics.open, healthCheck, metrics.close];
};

export const CHECK_SETS: Record<CheckSetName, () => Promise<Check[]>> = {
  /**
   * Every check, in an order where the audit opens its own event-loop window (the metrics scrape
   * first), closes it after its own traffic, and nothing else of ours streams during the disconnect
   * check, which goes last: its gauge scrapes reset the lag histogram, so the lag window closes before it.
   */
  audit: async () => {
    const [{ healthCheck }, { metricsChecks }, { preflightCheck, headersCheck }, { STREAM_CHECKS, disconnectCheck }] = await Promise.all([
      import('../checks/health/index.js'),
      import('../checks/metrics/index.js'),
      import('../checks/cors/index.js'),
      import('../checks/stream/index.js'),
    ]);
    const metrics = metricsChecks();
    return [metrics.open, healthCheck, preflightCheck, headersCheck, ...STREAM_CHECKS.filter((c) => c !== disconnectCheck), metrics.close, disconnectCheck];
  },
  health,
  preflight: async () => [(await import('../checks/cors/index.js')).preflightCheck],
  headers: async () => [(await import('../checks/cors/index.js')).headersCheck],
  stream,
};
