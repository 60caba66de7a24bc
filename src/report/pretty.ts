import type { ChalkInstance } from 'chalk';
import type { Finding } from '../core/finding.js';
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

export function summaryLine(c: ChalkInstance, report: Report): string {
  const s = report.summary;
  const parts = [c.green(`${s.pass} passed`), c.yellow(`${s.warn} warnings`), c.red(`${s.fail} failed`), c.dim(`${s.skip} skipped`)];
  const log = report.logFile ? ` — log: ${report.logFile}` : '';
  const interrupted = report.interrupted ? c.red(' (interrupted: partial results)') : '';
  return `${parts.join(', ')} in ${report.durationMs} ms${interrupted}${log}`;
}

/** The terminal report: grouped by target, details for what failed, one summary line. */
export function renderPretty(c: ChalkInstance, report: Report, options: PrettyOptions): string {
  const out: string[] = [];
  const t = report.targets;
  if (!options.quiet) out.push(c.bold(`zantara-audit ${report.command}`) + c.dim(` — gateway ${t.gateway}, rag ${t.rag}, origin ${t.origin}`), '');
  for (const [target, findings] of byTarget(report.findings)) {
    const shown = options.quiet ? findings.filter((f) => f.status === 'fail' || f.status === 'warn') : findings;
    if (shown.length === 0) continue;
    out.push(c.bold(target));
    for (const f of shown) out.push(findingLine(c, f), ...details(c, f, options.verbose));
    out.push('');
  }
  out.push(summaryLine(c, report));
  return `${out.join('\n')}\n`;
}
