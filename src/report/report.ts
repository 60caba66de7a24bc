import type { Attachment } from '../core/attachments.js';
import type { Finding, Summary, TargetName } from '../core/finding.js';
import { summarize } from '../core/finding.js';
import { TOOL_NAME, VERSION } from '../version.js';

/** The JSON report, schemaVersion 1 (documented in README and schema/report.schema.json). */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  command: string;
  startedAt: string;
  durationMs: number;
  targets: { gateway: string; rag: string; origin: string };
  summary: Summary;
  findings: Finding[];
  attachments: Attachment[];
  logFile: string | null;
  exitCode: number;
  interrupted: boolean;
}

export interface RunResult {
  command: string;
  startedAt: Date;
  durationMs: number;
  targets: Report['targets'];
  findings: Finding[];
  attachments?: Attachment[];
  logFile: string | undefined;
  exitCode: number;
  interrupted: boolean;
}

export function buildReport(run: RunResult): Report {
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: VERSION },
    command: run.command,
    startedAt: run.startedAt.toISOString(),
    durationMs: run.durationMs,
    targets: run.targets,
    summary: summarize(run.findings),
    findings: run.findings,
    attachments: run.attachments ?? [],
    logFile: run.logFile ?? null,
    exitCode: run.exitCode,
    interrupted: run.interrupted,
  };
}

export function byTarget(findings: readonly Finding[]): Map<TargetName, Finding[]> {
  const groups = new Map<TargetName, Finding[]>();
  for (const f of findings) groups.set(f.target, [...(groups.get(f.target) ?? []), f]);
  return groups;
}
