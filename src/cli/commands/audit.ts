import type { Action } from '../program.js';
import { runSession } from '../session.js';

/**
 * Every check, in an order where the audit opens its own event-loop window (the metrics scrape
 * first), closes it after its own traffic, and nothing else of ours streams during the disconnect check.
 */
const audit: Action = (flags) =>
  runSession('audit', flags, async () => {
    const [{ healthCheck }, { metricsChecks }, { preflightCheck, headersCheck }] = await Promise.all([import('../../checks/health/check.js'), import('../../checks/metrics/check.js'), import('../../checks/cors/checks.js')]);
    // The stream checks go last: the disconnect probe needs no other stream of ours open, and its
    // gauge scrapes reset the lag histogram, so the lag window closes before it.
    const { STREAM_CHECKS, disconnectCheck } = await import('../../checks/stream/check.js');
    const metrics = metricsChecks();
    return [metrics.open, healthCheck, preflightCheck, headersCheck, ...STREAM_CHECKS.filter((c) => c !== disconnectCheck), metrics.close, disconnectCheck];
  });

export default audit;
