/** The one result type every check produces and every reporter consumes. */
export const STATUSES = ['pass', 'warn', 'fail', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TARGETS = ['gateway', 'rag'] as const;
export type TargetName = (typeof TARGETS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Finding {
  /** Stable id, e.g. `health.status`; what users skip, waive and grep for. Documented in docs/checks.md. */
  id: string;
  target: TargetName;
  status: Status;
  severity: Severity;
  /** What was checked / what is wrong, one line. */
  title: string;
  expected: string;
  observed: string;
  /** The line to add or change. */
  remedy?: string;
  /** Raw material behind the verdict: request sent, headers that matter, the rule (with its standard section). */
  evidence?: { [key: string]: JsonValue };
  durationMs?: number;
  /** Attempts made when --retries allowed transport retries. */
  attempts?: number;
  /** True when the target could not be reached at all (no response): exit code 3. */
  unreachable?: boolean;
}

type FindingInit = Omit<Finding, 'severity'> & { severity?: Severity };

const DEFAULT_SEVERITY: Record<Status, Severity> = { pass: 'info', skip: 'info', warn: 'low', fail: 'high' };

export function finding(init: FindingInit): Finding {
  return { ...init, severity: init.severity ?? DEFAULT_SEVERITY[init.status] };
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const f of findings) summary[f.status]++;
  return summary;
}
