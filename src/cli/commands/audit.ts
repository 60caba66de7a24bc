import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** Every check, in an order where nothing else of ours is streaming during the disconnect check. */
const audit: Action = (flags) =>
  runSession('audit', flags, async () => {
    const [{ healthCheck }, { metricsCheck }, { preflightCheck, headersCheck }] = await Promise.all([import('../../checks/health/index.js'), import('../../checks/metrics/index.js'), import('../../checks/cors/index.js')]);
    // The stream checks go last: the disconnect probe needs no other stream of ours open.
    const { STREAM_CHECKS } = await import('../../checks/stream/index.js');
    return [healthCheck, metricsCheck, preflightCheck, headersCheck, ...STREAM_CHECKS];
  });

export default audit;
