/** The report page's only style sheet and script, inlined: the file opens offline, from a CI artifact. */

export const STYLE = `
:root{--fail:#c53030;--warn:#b7791f;--pass:#2f855a;--skip:#718096;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;background:#f7fafc}
body{margin:0 auto;max-width:960px;padding:16px 20px 48px}
header.verdict{border-radius:8px;padding:14px 18px;color:#fff;background:var(--pass)}
header.verdict.failed,header.verdict.unreachable{background:var(--fail)}header.verdict.interrupted{background:var(--warn)}
header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0}header code{color:#fff}
nav{margin:10px 0;display:flex;gap:8px;flex-wrap:wrap}nav a{color:#2b6cb0}
button{font:inherit;border:1px solid #cbd5e0;background:#fff;border-radius:4px;padding:2px 8px;cursor:pointer}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;margin:14px 0;padding:10px 16px}
h2{font-size:18px;margin:6px 0 10px}h3{font-size:15px;margin:14px 0 6px}
.chart{display:block;width:100%;height:auto;max-width:900px}
.axis line{stroke:#a0aec0}.axis .grid{stroke:#edf2f7}.axis text,.row,.marker-label,.pct-label{font-size:11px;fill:#4a5568}
.mark{stroke-width:2}.held{stroke:#a0aec0;stroke-width:.6}.marker,.pct{stroke:#4a5568;stroke-dasharray:3 3}
.cumulative{fill:none;stroke:#1a202c;stroke-width:1.5}.cdf{fill:none;stroke:#2c5282;stroke-width:2}.bar{fill:#90cdf4}
.open{fill:none;stroke:#3182ce;stroke-width:2}.failed{fill:none;stroke:#c53030;stroke-width:2}.gauge{fill:#dd6b20}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#4a5568}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.facts{font-size:12px;color:#4a5568;margin:4px 0 0}figure{margin:8px 0 16px}figcaption{margin-bottom:4px}
details{border-left:4px solid var(--skip);margin:6px 0;padding:4px 10px;background:#fafafa}
details.fail{border-color:var(--fail)}details.warn{border-color:var(--warn)}details.pass{border-color:var(--pass)}
summary{cursor:pointer}.id{color:#718096;font-family:ui-monospace,monospace;font-size:12px}
.badge{display:inline-block;min-width:38px;text-align:center;border-radius:3px;color:#fff;font-size:11px;padding:0 4px;margin-right:6px;text-transform:uppercase}
.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}.badge.pass{background:var(--pass)}.badge.skip{background:var(--skip)}.badge.critical{background:#742a2a}
dl{display:grid;grid-template-columns:minmax(80px,max-content) minmax(0,1fr);gap:2px 10px;margin:6px 0}dt{color:#718096}dd{margin:0;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}dd code{font-size:12px}
pre{background:#edf2f7;padding:6px 8px;border-radius:4px;overflow:auto;max-height:320px;font-size:12px;margin:2px 0 6px;white-space:pre-wrap;overflow-wrap:anywhere}
.unreachable{border:1px solid var(--fail);background:#fff5f5;padding:8px 12px;border-radius:6px}
.counts span{margin-right:12px}
`;

/** Expand or fold every finding; nothing is fetched, nothing is needed for reading. */
export const SCRIPT = `
document.querySelectorAll('[data-toggle]').forEach(function (b) {
  b.addEventListener('click', function () {
    var open = b.getAttribute('data-toggle') === 'open';
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  });
});
`;

/** No request may leave the page: everything it needs is inline. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
