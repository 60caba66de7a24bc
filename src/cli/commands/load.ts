import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** Extra time the run deadline must leave beyond the load's window and grace (scrapes, drain, report). */
const RUN_SLACK_MS = 30_000;

const load: Action = (flags) =>
  runSession('load', flags, async (config) => {
    const [{ checkLimits, openFileLimit }, { UsageError }] = await Promise.all([import('../../checks/load/index.js'), import('../../core/errors.js')]);
    const plan = config.load;
    const durationMs = Math.round(plan.durationS * 1000);
    // Before any request, and before any DNS lookup: the host's name alone decides "loopback".
    checkLimits({
      connections: plan.connections,
      rag: flags.local ? undefined : new URL(config.targets.rag.url),
      yes: flags.yes === true,
      fdLimit: openFileLimit(),
      durationMs,
      rampMs: plan.rampMs,
    });
    if (durationMs + plan.graceMs + RUN_SLACK_MS > config.runTimeoutMs) {
      throw new UsageError(
        `--duration ${plan.durationS} s plus load.graceMs (${plan.graceMs} ms) does not fit the run deadline (runTimeoutMs ${config.runTimeoutMs} ms)`,
        'raise runTimeoutMs in the config file, or shorten the run',
      );
    }
    const { loadCheckWith, LiveLoadMetrics } = await import('../../checks/load/index.js');
    if (!plan.metricsListen) return [loadCheckWith()];
    // Listening is the last thing before the run: a busy port stops it with exit 2, nothing sent.
    const live = await LiveLoadMetrics.start(plan.metricsListen);
    process.stderr.write(`load metrics for Prometheus at ${live.url}\n`);
    return [loadCheckWith(live)];
  });

export default load;
