// The README's load example against the clean reference server, repeated (bench/README.md,
// "load --local at 2000 streams"):   node bench/load-local.bench.js [runs]
// Each round runs `load --local --connections 2000 --duration 5` at the default pace, then the same
// with the pre-pacing answer's churn (`--ttft 0 --token-interval 20 --jitter 0`: every slot
// reconnects several times a second), alternating. Per run: the verdicts, the RAG's worst scrape
// window lag p99, how many windows were over 10 ms, streams started, and the load average.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BIN, machine, median, ROOT, round, table } from './lib.js';

const runs = Number(process.argv[2] ?? 10);
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });
const PACES = { 'default pace': [], 'old churn (ttft 0, 20 ms, no jitter)': ['--ttft', '0', '--token-interval', '20', '--jitter', '0'] };

function once(label) {
  const load1 = loadavg()[0];
  const r = spawnSync(process.execPath, [BIN, 'load', '--local', '--connections', '2000', '--duration', '5', '--json', '--no-log', ...PACES[label]], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
  });
  const report = JSON.parse(r.stdout);
  const f = (id) => report.findings.find((x) => x.id === id);
  const windows = (f('load.eventloop-lag')?.evidence?.windows ?? []).filter((w) => !w.baseline && typeof w.lagP99Ms === 'number');
  const s = f('load.success-rate')?.evidence ?? {};
  return {
    pace: label,
    exit: r.status,
    lag: f('load.eventloop-lag')?.status,
    worstP99Ms: windows.length ? Math.max(...windows.map((w) => w.lagP99Ms - (w.floorMs ?? 0))) : null,
    windowsOver: `${windows.filter((w) => w.lagP99Ms - (w.floorMs ?? 0) > 10).length}/${windows.length}`,
    success: f('load.success-rate')?.status,
    started: s.started,
    completed: s.completed,
    load1: round((load1 + loadavg()[0]) / 2, 2),
  };
}

const results = [];
const labels = Object.keys(PACES);
for (let i = 0; i < runs; i++) for (const label of i % 2 ? [...labels].reverse() : labels) results.push(once(label));
const stat = (xs) => (xs.length ? `${round(median(xs))} (${round(Math.min(...xs))}-${round(Math.max(...xs))})` : 'n/a');
const rows = labels.map((label) => {
  const rs = results.filter((r) => r.pace === label);
  return {
    pace: label,
    'runs passing (exit 0)': `${rs.filter((r) => r.exit === 0).length}/${rs.length}`,
    'lag check passing': `${rs.filter((r) => r.lag === 'pass').length}/${rs.length}`,
    'worst window p99 ms, median (min-max)': stat(rs.map((r) => r.worstP99Ms).filter((v) => v !== null)),
    'streams started': stat(rs.map((r) => r.started)),
    'load average': stat(rs.map((r) => r.load1)),
  };
});
const m = machine();
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${runs} rounds\n`);
console.log(table(rows));
console.log('\nevery run:\n');
console.log(table(results));
writeFileSync(`${out}load-local.json`, `${JSON.stringify({ machine: m, results, rows }, null, 2)}\n`);
