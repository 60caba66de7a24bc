/**
 * The checks each auditing command runs, by name: the commands of the same name and the
 * exporter's built-in modules use this one table. Each set is imported only when it runs.
 */
import type { Check } from '../checks/runner.js';

export const CHECK_SET_NAMES = ['audit', 'health', 'preflight', 'headers', 'stream'] as const;
export type CheckSetName = (typeof CHECK_SET_NAMES)[number];

const stream = async () => [...(await import('../checks/stream/index.js')).STREAM_CHECKS];
const health = async () => {
  const [{ healthCheck }, { metricsCheck }] = await Promise.all([import('../checks/health/index.js'), import('../checks/metrics/index.js')]);
  return [healthCheck, metricsCheck];
};

export const CHECK_SETS: Record<CheckSetName, () => Promise<Check[]>> = {
  // The stream checks go last: the disconnect probe needs no other stream of ours open.
  audit: async () => {
    const [first, { preflightCheck, headersCheck }, last] = await Promise.all([health(), import('../checks/cors/index.js'), stream()]);
    return [...first, preflightCheck, headersCheck, ...last];
  },
  health,
  preflight: async () => [(await import('../checks/cors/index.js')).preflightCheck],
  headers: async () => [(await import('../checks/cors/index.js')).headersCheck],
  stream,
};
