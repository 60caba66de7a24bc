/**
 * The HTML report: one self-contained file (style, script and data inline; a CSP forbids any
 * request) with the verdict, the answer stream's timeline, a load's charts, and the findings by
 * target and area, failures first. Pure: the caller redacts the report before and the page after.
 */
import type { Finding, JsonValue, TargetName } from '../../core/finding.js';
import { family, unreachableTargets, worstFirst, type Unreachable } from '../outline.js';
import type { Report } from '../report.js';
import { byTarget } from '../report.js';
import { CSP, SCRIPT, STYLE } from './assets.js';
import { renderLoad } from './load.js';
import { esc } from './svg.js';
import { renderTimeline } from './timeline.js';

const VERDICT: Record<number, [cls: string, word: string]> = {
  0: ['passed', 'passed'],
  1: ['failed', 'failed'],
  3: ['unreachable', 'a target was unreachable'],
  130: ['interrupted', 'interrupted'],
  143: ['interrupted', 'interrupted'],
};

export function renderHtml(report: Report): string {
  const [cls, word] = VERDICT[report.exitCode] ?? ['failed', `exit ${report.exitCode}`];
  const timelines = report.attachments.filter((a) => a.kind === 'stream-timeline');
  const loads = report.attachments.filter((a) => a.kind === 'load-charts');
  const s = report.summary;
  const t = report.targets;
  const title = `zantara-audit ${report.command}: ${word}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<header class="verdict ${cls}" id="verdict"><h1>${esc(title)}</h1>
<p>exit code <b>${report.exitCode}</b> · ${s.fail} failed, ${s.warn} warnings, ${s.pass} passed, ${s.skip} skipped · ${report.durationMs} ms${report.interrupted ? ' · interrupted: partial results' : ''}</p>
<p>gateway <code>${esc(t.gateway)}</code> · rag <code>${esc(t.rag)}</code> · origin <code>${esc(t.origin)}</code></p>
<p>${esc(report.startedAt)} · ${esc(report.tool.name)} ${esc(report.tool.version)}${report.logFile ? ` · audit log <code>${esc(report.logFile)}</code>` : ''}</p></header>
<nav>${timelines.length ? '<a href="#timeline">stream timeline</a>' : ''}${loads.length ? '<a href="#load">load</a>' : ''}<a href="#findings">findings</a>
<button type="button" data-toggle="open">expand all</button><button type="button" data-toggle="close">fold all</button></nav>
${timelines.length ? `<section id="timeline"><h2>Answer stream timeline</h2>${timelines.map(renderTimeline).join('\n')}</section>` : ''}
${loads.length ? `<section id="load"><h2>Load</h2>${loads.map(renderLoad).join('\n')}</section>` : ''}
<section id="findings"><h2>Findings</h2>${findingsHtml(report.findings)}</section>
<script type="application/json" id="report-data">${inlineJson(report)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

function findingsHtml(findings: readonly Finding[]): string {
  const lost = unreachableTargets(findings);
  const out: string[] = [];
  // The target with the worst finding first.
  for (const [target, mine] of byTarget(worstFirst(findings))) {
    const u = lost.get(target);
    const rest = u ? mine.filter((f) => !u.notRun.includes(f)) : mine;
    out.push(`<div class="target" data-target="${target}"><h3>${esc(target)}</h3>${u ? unreachableHtml(u) : ''}${areas(target, rest)}</div>`);
  }
  return out.join('\n');
}

function unreachableHtml(u: Unreachable): string {
  return `<div class="unreachable"><b>${esc(u.target)} unreachable: ${esc(u.message)}</b>
<details><summary>${u.notRun.length} checks not run</summary><ul>${u.notRun.map((f) => `<li>${esc(f.title)} <span class="id">${esc(f.id)}</span></li>`).join('')}</ul></details></div>`;
}

/** Areas (id families) with the worst first; in each, failures one by one, then the passes folded together. */
function areas(target: TargetName, findings: readonly Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const f of worstFirst(findings)) groups.set(family(f.id), [...(groups.get(family(f.id)) ?? []), f]);
  return [...groups]
    .map(([area, list]) => {
      const passed = list.filter((f) => f.status === 'pass');
      const others = list.filter((f) => f.status !== 'pass');
      const folded = passed.length
        ? `<details class="pass"><summary><span class="badge pass">pass</span>${passed.length} passed</summary>${passed.map(findingHtml).join('')}</details>`
        : '';
      return `<div class="area" data-area="${esc(area)}" data-target="${target}"><h4>${esc(area)}</h4>${others.map(findingHtml).join('')}${folded}</div>`;
    })
    .join('');
}

function findingHtml(f: Finding): string {
  const open = f.status === 'fail' || f.status === 'warn' ? ' open' : '';
  const badge = f.status === 'fail' && f.severity === 'critical' ? '<span class="badge critical">critical</span>' : '';
  const rows = [['expected', f.expected], ['observed', f.observed], ...(f.remedy && f.status !== 'pass' ? [['fix', f.remedy]] : [])];
  const evidence = Object.entries(f.evidence ?? {}).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${evidenceValue(v)}</dd>`);
  return `<details class="finding ${f.status}" data-id="${esc(f.id)}"${open}><summary><span class="badge ${f.status}">${f.status}</span>${badge}${esc(f.title)} <span class="id">[${esc(f.id)}]</span></summary>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v ?? '')}</dd>`).join('')}${evidence.join('')}</dl></details>`;
}

/** A short scalar inline; a request, a response, anything structured or long as a block. */
function evidenceValue(v: JsonValue): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  const short = (v === null || typeof v !== 'object') && text.length <= 160 && !text.includes('\n');
  return short ? `<code>${esc(text)}</code>` : `<pre>${esc(clip(text))}</pre>`;
}

/** Evidence is bounded per value, so one huge response cannot make the page heavy. */
const clip = (text: string, max = 20_000) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters in the JSON report)` : text);

/** JSON inside a script element: `<` escaped so no text can close the element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
