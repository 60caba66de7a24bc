/**
 * One audit run, shared by every command and the exporter: the HTTP client, the checks' stages in order,
 * and the run deadline, which cuts what is left and says so with a `run.deadline` finding.
 * Reference server, signals, audit log and reporters stay with the caller.
 */
import type { Config } from './config.js';
import { HttpClient } from '../http/client.js';
import { finding, type Finding } from '../core/finding.js';
import type { Attachment } from '../core/attachments.js';
import { runChecks, type CheckPlan, type RunEvents } from './runner.js';

export interface AuditRunOptions {
  config: Config;
  checks: CheckPlan;
  /** Ends the run from outside (Ctrl-C, a client that went away); not reported as the deadline. */
  signal: AbortSignal;
  /** The whole run's deadline; default `config.runTimeoutMs`. */
  deadlineMs?: number;
  /** What to do when the deadline cut the run (the finding's remedy). */
  deadlineRemedy?: string;
  /** PEM of a CA to trust, already read. */
  ca?: string;
  record: (type: string, data: object) => void;
  events?: RunEvents;
  progress?: (text: string) => void;
  verbose?: boolean;
  /** Where checks hand report-worthy data (timelines, distributions) for the HTML/JSON report. */
  attach?: (attachment: Attachment) => void;
}

export async function runAudit(options: AuditRunOptions): Promise<Finding[]> {
  const { config } = options;
  const deadlineMs = options.deadlineMs ?? config.runTimeoutMs;
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal.aborted) onOuterAbort();
  let deadlineHit = false;
  const deadline = setTimeout(() => {
    deadlineHit = true;
    controller.abort(new Error('run deadline'));
  }, deadlineMs);
  const http = new HttpClient({ retries: config.retries, ca: options.ca });
  try {
    const ctx = { config, http, signal: controller.signal, verbose: !!options.verbose, record: options.record, progress: options.progress, attach: options.attach };
    const findings = await runChecks(options.checks, ctx, options.events);
    if (deadlineHit) findings.push(runDeadline(deadlineMs, options.deadlineRemedy));
    return findings;
  } finally {
    clearTimeout(deadline);
    options.signal.removeEventListener('abort', onOuterAbort);
    await http.close();
  }
}

function runDeadline(ms: number, remedy = 'raise runTimeoutMs in the config, or look at which check hung in the audit log'): Finding {
  return finding({
    id: 'run.deadline',
    target: 'gateway',
    status: 'fail',
    title: 'the audit finished within its deadline',
    expected: `all checks within ${ms} ms`,
    observed: 'the run deadline cut the remaining checks',
    remedy,
  });
}
