import type { Finding } from '../core/finding.js';
import type { Report } from './report.js';

/** Workflow commands escape %, CR and LF in the message (and also : and , in properties). */
function escData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escProp(text: string): string {
  return escData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error`/`::warning` lines for failed and warned findings. */
export function renderAnnotations(findings: readonly Finding[]): string {
  return findings
    .filter((f) => f.status === 'fail' || f.status === 'warn')
    .map((f) => {
      const level = f.status === 'fail' ? 'error' : 'warning';
      const body = `${f.title} — expected ${f.expected}; observed ${f.observed}${f.remedy ? `; fix: ${f.remedy}` : ''}`;
      return `::${level} title=${escProp(`${f.target} ${f.id}`)}::${escData(body)}\n`;
    })
    .join('');
}

const ICON = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️' } as const;
/** A table cell: GFM splits on | even inside code spans, and any line break ends the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r\n?|\n/g, ' ');

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function renderStepSummary(report: Report): string {
  const s = report.summary;
  const rows = report.findings.map((f) => `| ${ICON[f.status]} ${f.status} | ${f.target} | \`${cell(f.id)}\` | ${cell(f.title)} | ${cell(f.observed)} | ${cell(f.remedy ?? '')} |`);
  return [
    `## zantara-audit ${report.command}: ${s.fail ? 'failed' : 'passed'}`,
    '',
    `${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.skip} skipped — gateway ${report.targets.gateway}, rag ${report.targets.rag}, origin ${report.targets.origin}`,
    '',
    '| status | target | check | title | observed | fix |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
