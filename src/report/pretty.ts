import type { ChalkInstance } from 'chalk';
import type { Finding, TargetName } from '../core/finding.js';
import { family, passedLabel, unreachableTargets, type Unreachable } from './outline.js';
import type { Report } from './report.js';
import { byTarget } from './report.js';

export interface PrettyOptions {
  quiet: boolean;
  verbose: boolean;
}

const MARK = { pass: '✔', warn: '!', fail: '✖', skip: '-' } as const;

function paint(c: ChalkInstance, status: Finding['status'], text: string): string {
  if (status === 'pass') return c.green(text);
  if (status === 'warn') return c.yellow(text);
  if (status === 'fail') return c.red(text);
  return c.dim(text);
}

function details(c: ChalkInstance, f: Finding, verbose: boolean): string[] {
  const lines: string[] = [];
  const showWhy = f.status === 'fail' || f.status === 'warn' || verbose;
  if (showWhy) {
    lines.push(`      ${c.dim('expected:')} ${f.expected}`, `      ${c.dim('observed:')} ${f.observed}`);
    if (f.remedy && f.status !== 'pass') lines.push(`      ${c.cyan('fix:')} ${f.remedy}`);
  } else if (f.status === 'skip') {
    lines.push(`      ${c.dim(f.observed)}`);
  }
  if (f.evidence && (verbose || f.status === 'fail')) {
    for (const [key, value] of Object.entries(f.evidence)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      lines.push(`      ${c.dim(`${key}:`)} ${text.length > 400 && !verbose ? `${text.slice(0, 400)}…` : text}`);
    }
  }
  return lines;
}

export function findingLine(c: ChalkInstance, f: Finding): string {
  const severity = f.status === 'fail' && f.severity === 'critical' ? c.bgRed.white(' CRITICAL ') + ' ' : '';
  return `  ${paint(c, f.status, MARK[f.status])} ${severity}${f.title} ${c.dim(`[${f.id}]`)}${f.attempts && f.attempts > 1 ? c.dim(` (${f.attempts} attempts)`) : ''}`;
}

/** Report files written this run, named at the end of the summary line. */
export interface WrittenFiles {
  html?: string;
  json?: string;
  junit?: string;
}

export function summaryLine(c: ChalkInstance, report: Report, files: WrittenFiles = {}, lost: ReadonlyMap<TargetName, Unreachable> = unreachableTargets(report.findings)): string {
  const s = { ...report.summary };
  let notRun = 0;
  for (const u of lost.values()) {
    notRun += u.notRun.length;
    for (const f of u.notRun) s[f.status]--;
  }
  const parts = [c.green(`${s.pass} passed`), c.yellow(`${s.warn} warnings`), c.red(`${s.fail} failed`), c.dim(`${s.skip} skipped`)];
  if (notRun) parts.push(c.red(`${notRun} not run (${[...lost.keys()].join(' and ')} unreachable)`));
  const paths = Object.entries({ ...files, log: report.logFile ?? undefined }).filter(([, p]) => p);
  const written = paths.length ? ` — ${paths.map(([k, p]) => `${k}: ${p}`).join(', ')}` : '';
  const interrupted = report.interrupted ? c.red(' (interrupted: partial results)') : '';
  return `${parts.join(', ')} in ${report.durationMs} ms${interrupted}${written}`;
}

/** One line for a target that never answered, and the checks it stopped (each one with -v). */
function unreachableLines(c: ChalkInstance, u: Unreachable, verbose: boolean): string[] {
  const lines = [`  ${c.red(MARK.fail)} ${c.red(`${u.target} unreachable: ${u.message}`)}`];
  if (verbose) lines.push(...u.notRun.map((f) => `      ${c.dim('not run:')} ${f.title} ${c.dim(`[${f.id}]`)}`));
  else lines.push(`      ${c.dim(`not run (${u.notRun.length}):`)} ${idList(u.notRun)}`);
  return lines;
}

/** Ids in order, three or more of one family as `sse.* (13)`. */
function idList(findings: readonly Finding[]): string {
  const families = new Map<string, string[]>();
  for (const f of findings) families.set(family(f.id), [...new Set([...(families.get(family(f.id)) ?? []), f.id])]);
  return [...families].map(([fam, ids]) => (ids.length >= 3 ? `${fam}.* (${ids.length})` : ids.join(', '))).join(', ');
}

/** A target's findings in the checks' order, passes of one family as one line unless verbose. */
function targetLines(c: ChalkInstance, findings: readonly Finding[], options: PrettyOptions): string[] {
  const out: string[] = [];
  const passes = new Map<string, string[]>();
  for (const f of findings) if (f.status === 'pass') passes.set(family(f.id), [...(passes.get(family(f.id)) ?? []), f.id]);
  const shownFamilies = new Set<string>();
  for (const f of findings) {
    if (options.quiet && f.status !== 'fail' && f.status !== 'warn') continue;
    const fam = family(f.id);
    const ids = passes.get(fam) ?? [];
    const grouped = f.status === 'pass' && !options.verbose && ids.length > 1;
    if (!grouped) {
      out.push(findingLine(c, f), ...details(c, f, options.verbose));
    } else if (!shownFamilies.has(fam)) {
      shownFamilies.add(fam);
      // A few ids are named; a family of many is named by its prefix.
      out.push(`  ${c.green(MARK.pass)} ${passedLabel(fam, ids.length)} ${c.dim(`[${ids.length <= 3 ? [...new Set(ids)].join(', ') : `${fam}.*`}]`)}`);
    }
  }
  return out;
}

/** The terminal report: grouped by target, passes by family, details for what failed, one summary line. */
export function renderPretty(c: ChalkInstance, report: Report, options: PrettyOptions, files: WrittenFiles = {}): string {
  const out: string[] = [];
  const t = report.targets;
  const lost = unreachableTargets(report.findings);
  if (!options.quiet) out.push(c.bold(`zantara-audit ${report.command}`) + c.dim(` — gateway ${t.gateway}, rag ${t.rag}, origin ${t.origin}`), '');
  for (const [target, findings] of byTarget(report.findings)) {
    const u = lost.get(target);
    const rest = u ? findings.filter((f) => !u.notRun.includes(f)) : findings;
    const lines = [...(u ? unreachableLines(c, u, options.verbose) : []), ...targetLines(c, rest, options)];
    if (lines.length === 0) continue;
    out.push(c.bold(target), ...lines, '');
  }
  out.push(summaryLine(c, report, files, lost));
  return `${out.join('\n')}\n`;
}
