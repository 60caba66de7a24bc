/**
 * How the human reports (terminal, HTML) arrange findings for a reader under pressure: passes of
 * one family as a single line, an unreachable target said once with the checks it stopped, and
 * failures one by one. Pure: the JSON, JUnit and GitHub reports keep every finding as it is.
 */
import type { Finding, TargetName } from '../core/finding.js';

/** The family a finding belongs to: `cors.probe.platform.vercel-app` → `cors.probe`, `sse.done` → `sse`. */
export function family(id: string): string {
  const parts = id.split('.');
  return parts.length >= 3 ? parts.slice(0, 2).join('.') : (parts[0] ?? id);
}

/** What a group of passes says, by family; others read "N <family> checks passed". */
const PASSED_LABELS: Record<string, string> = {
  'cors.probe': 'hostile origins refused',
  'cors.preflight': 'preflight checks passed',
  'cors.headers': 'actual responses pass the CORS check',
  health: 'health checks passed',
  metrics: 'metrics checks passed',
  sse: 'answer-stream checks passed',
  load: 'load checks passed',
  browser: 'browser checks passed',
};

export function passedLabel(fam: string, count: number): string {
  return `${count} ${PASSED_LABELS[fam] ?? `${fam} checks passed`}`;
}

/** A target that never answered: said once, with the checks that needed it. */
export interface Unreachable {
  target: TargetName;
  /** The transport error, e.g. "DNS lookup failed for rag.example — check the host name". */
  message: string;
  /** The unreachable failures and the skips that followed from them: not run, not failed. */
  notRun: Finding[];
}

/** `rag: DNS lookup…` (a target) and `dns: DNS lookup…` (an error code) both read as the bare message. */
const message = (f: Finding) => f.observed.replace(/^[a-z][a-z-]*: /, '');

/**
 * Targets where nothing answered: at least one unreachable failure, and no finding that shows an
 * answer (a pass, a warning, a failure of another kind). A target that answered some requests
 * keeps its unreachable findings as ordinary failures: one lost request is worth reading.
 */
export function unreachableTargets(findings: readonly Finding[]): Map<TargetName, Unreachable> {
  const out = new Map<TargetName, Unreachable>();
  const targets = new Set(findings.map((f) => f.target));
  for (const target of targets) {
    const mine = findings.filter((f) => f.target === target);
    const lost = mine.filter((f) => f.unreachable && f.status === 'fail');
    const answered = mine.some((f) => f.status === 'pass' || f.status === 'warn' || (f.status === 'fail' && !f.unreachable));
    if (lost.length === 0 || answered) continue;
    const counts = new Map<string, number>();
    for (const f of lost) counts.set(message(f), (counts.get(message(f)) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'no response';
    out.set(target, { target, message: top, notRun: mine.filter((f) => f.status === 'fail' || f.status === 'skip') });
  }
  return out;
}

const RANK = { fail: 0, warn: 1, skip: 2, pass: 3 } as const;

/** Failures first, then warnings, skips and passes; the checks' own order within each. */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort((a, b) => RANK[a[0].status] - RANK[b[0].status] || a[1] - b[1])
    .map(([f]) => f);
}
