import { TARGETS } from '../../core/finding.js';
import type { Check } from '../runner.js';
import { appGet, observe } from '../target.js';
import { judgeMetrics } from './rules.js';

export const metricsCheck: Check = {
  id: 'metrics',
  title: 'metrics endpoints',
  async run(ctx) {
    const results = await Promise.all(
      TARGETS.map(async (target) => {
        const path = ctx.config.targets[target].metricsPath;
        const obs = path === null ? undefined : await observe(ctx, appGet(ctx, target, 'metrics', path));
        return judgeMetrics(obs, ctx.config.metrics.eventLoopLagMs, target).findings;
      }),
    );
    return results.flat();
  },
};
