// The README's load example against the clean reference server, and the same load against the
// least a Node service can do for the same contract (bench/README.md, "the reference server at
// 2000 streams"):   node bench/load-local.bench.js [rounds]
// Each round, in rotating order, one run of `load --connections 2000 --duration 5`:
//   - `load --local` as the README shows it (the reference spawned by the command itself);
//   - a fresh `serve` (the reference), loaded through --gateway/--rag;
//   - a fresh `bench/floor-server.js paced` (node:http, one timer and one write per event, the same
//     answer at the same pace, prom-client's lag sampled every 1 ms), loaded the same way.
// Per run: the exit code, load.eventloop-lag, the worst window's lag p99, streams started, the
// server's and the client's CPU during the run (the two share the machine's 2 cores), load average.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BIN, cpuMs, machine, median, ROOT, round, startProcess, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 10);
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });
const LOAD = ['load', '--connections', '2000', '--duration', '5', '--json', '--no-log'];
const ENTRIES = {
  'load --local (README)': { server: undefined },
  'reference (serve)': { server: [BIN, 'serve', '--ready-json', '--exit-on-stdin-close'] },
  'paced node:http floor': { server: [`${ROOT}bench/floor-server.js`, 'paced'] },
};

async function once(label) {
  const load1 = loadavg()[0];
  const { server: serverArgs } = ENTRIES[label];
  const server = serverArgs ? await startProcess(serverArgs) : undefined;
  const targets = server ? ['--gateway', server.gateway, '--rag', server.rag] : ['--local'];
  const serverCpu0 = server ? cpuMs(server.pid) : 0;
  const r = spawnSync('/usr/bin/time', ['-f', 'client-cpu %U %S', process.execPath, BIN, ...LOAD, ...targets], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
  });
  const serverCpuMs = server ? cpuMs(server.pid) - serverCpu0 : null;
  await server?.close();
  const [, user, sys] = /client-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr) ?? [];
  const report = JSON.parse(r.stdout);
  const f = (id) => report.findings.find((x) => x.id === id);
  const windows = (f('load.eventloop-lag')?.evidence?.windows ?? []).filter((w) => !w.baseline && typeof w.lagP99Ms === 'number');
  const s = f('load.success-rate')?.evidence ?? {};
  return {
    entry: label,
    exit: r.status,
    lag: f('load.eventloop-lag')?.status,
    worstP99Ms: windows.length ? Math.max(...windows.map((w) => w.lagP99Ms - (w.floorMs ?? 0))) : null,
    windowsOver: `${windows.filter((w) => w.lagP99Ms - (w.floorMs ?? 0) > 10).length}/${windows.length}`,
    started: s.started,
    serverCpuMs,
    clientCpuMs: user ? Math.round((Number(user) + Number(sys)) * 1000) : null,
    wallMs: report.durationMs,
    load1: round((load1 + loadavg()[0]) / 2, 2),
  };
}

const results = [];
const labels = Object.keys(ENTRIES);
for (let i = 0; i < rounds; i++) for (let k = 0; k < labels.length; k++) results.push(await once(labels[(i + k) % labels.length]));
const stat = (xs) => (xs.length ? `${round(median(xs))} (${round(Math.min(...xs))}-${round(Math.max(...xs))})` : 'n/a');
const rows = labels.map((label) => {
  const rs = results.filter((r) => r.entry === label);
  const share = (key) => stat(rs.filter((r) => r[key] !== null).map((r) => round(r[key] / r.wallMs, 2)));
  return {
    entry: label,
    'runs passing (exit 0)': `${rs.filter((r) => r.exit === 0).length}/${rs.length}`,
    'lag check passing': `${rs.filter((r) => r.lag === 'pass').length}/${rs.length}`,
    'worst window p99 ms, median (min-max)': stat(rs.map((r) => r.worstP99Ms).filter((v) => v !== null)),
    'streams started': stat(rs.map((r) => r.started)),
    'server CPU, cores': share('serverCpuMs'),
    'client CPU, cores': share('clientCpuMs'),
    'load average': stat(rs.map((r) => r.load1)),
  };
});
const m = machine();
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${rounds} rounds\n`);
console.log(table(rows));
console.log('\nevery run:\n');
console.log(table(results));
writeFileSync(`${out}load-local.json`, `${JSON.stringify({ machine: m, results, rows }, null, 2)}\n`);
