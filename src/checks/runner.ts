import type { Config } from './config.js';
import type { HttpClient } from '../http/client.js';
import type { Attachment } from '../core/attachments.js';
import { finding, type Finding } from '../core/finding.js';
import { waived, waivedAfter } from '../core/verdicts.js';

/** What a check may use: the plan, the shared HTTP client, the audit log, and the run's abort signal. */
export interface CheckContext {
  config: Config;
  http: HttpClient;
  /** Append an observation (or any record) to the audit log; redaction happens at the sink. */
  record: (type: string, data: object) => void;
  signal: AbortSignal;
  verbose: boolean;
  /** A live status line for long checks (load); shown only where the session shows a spinner. */
  progress?: (text: string) => void;
  /** Hand report-worthy data (a stream's timeline, a load's distributions) to the reports; bounded by its type. */
  attach?: (attachment: Attachment) => void;
}

/** One unit of work: probes (I/O) then rules (pure); returns findings, never throws on target behaviour. */
export interface Check {
  /** Prefix of the ids it produces, e.g. `health`; `--skip health` waives it whole. */
  id: string;
  title: string;
  run(ctx: CheckContext): Promise<Finding[]>;
}

export interface RunEvents {
  onCheckStart?(check: Check): void;
  onCheckEnd?(check: Check, findings: Finding[]): void;
}

/** `--skip a.b` waives `a.b` and everything under it (`a.b.c`); `*` is a wildcard. */
export function isWaived(id: string, skip: readonly string[]): boolean {
  return skip.some((pattern) => {
    if (pattern.includes('*')) {
      const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      return re.test(id);
    }
    return id === pattern || id.startsWith(`${pattern}.`);
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function waive(f: Finding, skip: readonly string[]): Finding {
  if (!isWaived(f.id, skip) || f.status === 'skip') return f;
  return waivedAfter(f);
}

/**
 * Checks that run at the same time: the target cannot tell them from one client's burst of
 * requests, none reads what another moves (a gauge, the lag histogram), and none is timed finely
 * enough for our own client's work to show in its verdict.
 */
export type Stage = readonly Check[];

/** What a command runs: stages one after another, the checks of a stage together; a lone check is a stage of its own. */
export type CheckPlan = readonly (Check | Stage)[];

export const isStage = (step: Check | Stage): step is Stage => Array.isArray(step);

/**
 * Runs the plan stage by stage. Findings come in plan order whatever finished first, so a report
 * reads the same from run to run; the audit log gets each check's findings as it ends.
 */
export async function runChecks(plan: CheckPlan, ctx: CheckContext, events: RunEvents = {}): Promise<Finding[]> {
  const all: Finding[] = [];
  for (const step of plan) {
    if (ctx.signal.aborted) break;
    const stage = isStage(step) ? step : [step];
    for (const found of await Promise.all(stage.map((check) => runOne(check, ctx, events)))) all.push(...found);
  }
  return all;
}

async function runOne(check: Check, ctx: CheckContext, events: RunEvents): Promise<Finding[]> {
  events.onCheckStart?.(check);
  const started = performance.now();
  let found: Finding[];
  if (isWaived(check.id, ctx.config.skip)) {
    found = [waivedCheck(check)];
  } else {
    try {
      found = await check.run(ctx);
    } catch (err) {
      found = [crashed(check, err)];
    }
  }
  const durationMs = Math.round(performance.now() - started);
  found = found.map((f) => waive({ ...f, durationMs: f.durationMs ?? durationMs }, ctx.config.skip));
  for (const f of found) ctx.record('finding', f);
  events.onCheckEnd?.(check, found);
  return found;
}

function waivedCheck(check: Check): Finding {
  return waived(check.id, 'gateway', check.title);
}

/** A bug in a check must not hide the other checks' results; it is reported, not thrown. */
function crashed(check: Check, err: unknown): Finding {
  return finding({
    id: check.id,
    target: 'gateway',
    status: 'fail',
    title: `${check.title}: internal error`,
    expected: 'the check completes',
    observed: err instanceof Error ? err.message : String(err),
    remedy: 'this is a bug in zantara-audit; please report it with the audit log',
  });
}
