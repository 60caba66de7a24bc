import { TARGETS } from '../../core/finding.js';
import type { Check } from '../runner.js';
import { appGet, observe } from '../target.js';
import { judgeHealth } from './rules.js';

export const healthCheck: Check = {
  id: 'health',
  title: 'health endpoints',
  async run(ctx) {
    const observations = await Promise.all(TARGETS.map((target) => observe(ctx, appGet(ctx, target, 'health', ctx.config.targets[target].healthPath))));
    return observations.flatMap((obs) => judgeHealth(obs, { origin: ctx.config.origin, latencyWarnMs: ctx.config.health.latencyWarnMs }));
  },
};
