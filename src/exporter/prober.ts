/**
 * Runs one probe: the plan's checks through the same audit run as the commands, under a deadline
 * of min(module deadline, Prometheus's scrape timeout - margin), with its own audit log. A target
 * that is down is findings (probe_success 0), never an exception.
 */
import { readFileSync } from 'node:fs';
import { CHECK_SETS } from '../cli/check-sets.js';
import { runAudit } from '../checks/audit-run.js';
import { finding, type Finding } from '../core/finding.js';
import type { LogDir } from './log-dir.js';
import type { ProbePlan } from './plan.js';
import { guardQuietChecks, type TargetActivity } from './quiet.js';
import { TOOL_NAME, VERSION } from '../version.js';

export interface ProbeResult {
  target: string;
  module: string;
  startedAt: string;
  /** min(module deadline, scrape timeout - margin). */
  deadlineMs: number;
  durationMs: number;
  findings: Finding[];
  /** No check failed. */
  success: boolean;
  logFile?: string;
}

export interface ProbeDeps {
  activity: TargetActivity;
  logs: LogDir | undefined;
}

export async function runProbe(plan: ProbePlan, deadlineMs: number, signal: AbortSignal, deps: ProbeDeps): Promise<ProbeResult> {
  const startedAt = new Date();
  const started = performance.now();
  const key = plan.config.targets.rag.url;
  const end = deps.activity.begin(key);
  const log = deps.logs?.open(plan.target, plan.module);
  let findings: Finding[];
  try {
    log?.write('run', {
      tool: { name: TOOL_NAME, version: VERSION },
      command: 'exporter probe',
      target: plan.target,
      module: plan.module,
      startedAt: startedAt.toISOString(),
      deadlineMs,
      config: plan.config,
    });
    const checks = guardQuietChecks(await CHECK_SETS[plan.checks](), deps.activity, key);
    findings = await runAudit({
      config: plan.config,
      checks,
      signal,
      deadlineMs,
      deadlineRemedy: `the probe must end before Prometheus gives up: raise scrape_timeout (the exporter keeps exporter.timeoutMarginMs of it), or the module's timeoutMs, or look at which check hung in the probe's audit log`,
      ca: plan.config.ca ? readFileSync(plan.config.ca, 'utf8') : undefined,
      record: (type, data) => log?.write(type, data),
    });
  } catch (err) {
    // A bug must not become a 500 that Prometheus reads as "exporter down": the probe fails, with the reason.
    findings = [
      finding({
        id: 'exporter.probe',
        target: 'gateway',
        status: 'fail',
        title: 'the probe ran',
        expected: 'the checks complete',
        observed: err instanceof Error ? err.message : String(err),
      }),
    ];
  } finally {
    end();
  }
  const durationMs = Math.round(performance.now() - started);
  const success = !findings.some((f) => f.status === 'fail');
  log?.write('footer', { success, durationMs, findings: findings.length });
  log?.close();
  deps.logs?.prune();
  return { target: plan.target, module: plan.module, startedAt: startedAt.toISOString(), deadlineMs, durationMs, findings, success, logFile: log?.path };
}
