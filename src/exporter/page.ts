/** `GET /`: targets, modules and the last result of each pair, with links to the debug view. Pure. */
import type { ProbePlan } from './plan.js';

export interface LastResult {
  success: boolean;
  at: string;
  durationMs: number;
  failed: number;
  warned: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderPage(plans: readonly ProbePlan[], last: ReadonlyMap<string, LastResult>, keyOf: (p: ProbePlan) => string, version: string): string {
  const rows = plans.map((p) => {
    const r = last.get(keyOf(p));
    const q = `target=${encodeURIComponent(p.target)}&amp;module=${encodeURIComponent(p.module)}`;
    const state = r ? `${r.success ? 'success' : 'FAILED'} (${r.failed} failed, ${r.warned} warnings) in ${r.durationMs} ms at ${esc(r.at)}` : 'not probed yet';
    return `<tr><td>${esc(p.target)}</td><td>${esc(p.module)}</td><td>${esc(p.config.targets.gateway.url)}<br>${esc(p.config.targets.rag.url)}</td><td>${p.timeoutMs / 1000} s</td><td>${state}</td><td><a href="/probe?${q}">metrics</a> · <a href="/probe?${q}&amp;debug=true">debug</a></td></tr>`;
  });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>zantara-audit exporter</title></head>
<body>
<h1>zantara-audit exporter ${esc(version)}</h1>
<p><a href="/metrics">/metrics</a> (the exporter's own metrics). Probes: <code>/probe?target=&lt;name&gt;&amp;module=&lt;module&gt;</code>; only the targets below are ever probed.</p>
<table border="1" cellpadding="4">
<tr><th>target</th><th>module</th><th>gateway / rag</th><th>deadline</th><th>last result</th><th></th></tr>
${rows.join('\n')}
</table>
</body></html>
`;
}
