// Benchmark 1: CLI cold start against `node -e 0`, alternating runs (bench/README.md).
//   node bench/startup.bench.js [rounds]      (needs `npm run build`; the SEA rows need `npm run build:sea`)
// The package as a user gets it: `npm pack`, installed into an empty project (--prefer-offline),
// run as `node <project>/node_modules/zantara-audit/bin/zantara-audit.js` (npx adds its own
// start-up). A full command is `health` against a closed loopback port (config, zod, the HTTP
// client, the checks, the reporter, two refused requests; exit 3). The unbundled dist/ build and
// the single executable (dist/sea) are measured in the same rounds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, machine, peakRssKiB, ROOT, round, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 30);
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });

const dir = mkdtempSync(join(tmpdir(), 'zantara-startup-'));
const tarball = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }))[0].filename;
const project = join(dir, 'project');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), '{"name":"startup-bench","private":true}\n');
execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: project, stdio: 'ignore' });
const installed = join(project, 'node_modules', 'zantara-audit', 'bin', 'zantara-audit.js');

const full = ['health', '--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--no-log'];
const node = process.execPath;
const seaDir = `${ROOT}dist/sea/`;
const sea = existsSync(seaDir) ? readdirSync(seaDir).find((f) => f.startsWith('zantara-audit-') && !f.endsWith('.cjs')) : undefined;
const entries = [
  { label: 'node -e 0', cmd: node, args: ['-e', '0'] },
  { label: 'installed package --version', cmd: node, args: [installed, '--version'] },
  { label: 'installed package --help', cmd: node, args: [installed, '--help'] },
  { label: 'installed package health (closed port)', cmd: node, args: [installed, ...full], okCodes: [3] },
  { label: 'dist/cli/main.js health (unbundled, for comparison)', cmd: node, args: [`${ROOT}dist/cli/main.js`, ...full], okCodes: [3] },
  ...(sea
    ? [
        { label: 'SEA --version', cmd: `${seaDir}${sea}`, args: ['--version'] },
        { label: 'SEA --help', cmd: `${seaDir}${sea}`, args: ['--help'] },
        { label: 'SEA health (closed port)', cmd: `${seaDir}${sea}`, args: full, okCodes: [3] },
      ]
    : []),
];

const results = alternate(entries, rounds);
for (const [i, r] of results.entries()) {
  const e = entries[i];
  r.peakRssMiB = round(peakRssKiB(e.cmd, e.args, { okCodes: e.okCodes ?? [0] }) / 1024);
}
rmSync(dir, { recursive: true, force: true });
const m = machine();
const rows = results.map((r) => ({
  command: r.label,
  'median ms': r.medianMs,
  'min ms': r.minMs,
  'x node -e 0 (median)': r.ratio,
  'x node -e 0 per round, min-median-max': r.ratioRange,
  'peak RSS MiB': r.peakRssMiB,
}));
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${rounds} alternating rounds; load average ${r2(m.load)}\n`);
console.log(table(rows));
writeFileSync(`${out}startup.json`, `${JSON.stringify({ machine: m, rounds, results }, null, 2)}\n`);

function r2(load) {
  return load.map((v) => round(v, 2)).join(' / ');
}
