import type { Action } from '../program.js';
import { runSession } from '../session.js';

const health: Action = (flags) =>
  runSession('health', flags, async () => {
    const [{ healthCheck }, { metricsCheck }] = await Promise.all([import('../../checks/health/index.js'), import('../../checks/metrics/index.js')]);
    return [healthCheck, metricsCheck];
  });

export default health;
