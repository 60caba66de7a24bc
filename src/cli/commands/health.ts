import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** The metrics scrape opens the event-loop window, the health requests fill it, the closing scrape judges it. */
const health: Action = (flags) =>
  runSession('health', flags, async () => {
    const [{ healthCheck }, { metricsChecks }] = await Promise.all([import('../../checks/health/check.js'), import('../../checks/metrics/check.js')]);
    const metrics = metricsChecks();
    return [metrics.open, healthCheck, metrics.close];
  });

export default health;
