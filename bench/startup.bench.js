// Benchmark 1: CLI cold start against `node -e 0`, alternating runs (bench/README.md).
//   node bench/startup.bench.js [rounds]      (needs `npm run build`; the SEA rows need `npm run build:sea`)
// Entries: --version and --help through bin/ (targets <= 1.5x), a full command (health against a
// closed loopback port: config, zod, undici, checks, reporter) plain and bundled with esbuild
// (target <= 2.9x and <= 75 MiB peak RSS), and the single executable when dist/sea has one.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { alternate, BIN, machine, peakRssKiB, ROOT, round, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 30);
const out = `${ROOT}bench/out/`;
const bundleDir = `${out}bundle/`;
mkdirSync(bundleDir, { recursive: true });

// One ESM file per lazily imported command (splitting keeps the dynamic imports lazy).
await build({
  entryPoints: [`${ROOT}dist/cli/main.js`],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: bundleDir,
  logLevel: 'error',
  define: { __ZANTARA_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version) },
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __zaCreateRequire } from 'node:module'; const require = __zaCreateRequire(import.meta.url);" },
});
const bundle = `${bundleDir}main.js`;

const closed = ['--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--no-log'];
const full = ['health', ...closed];
const node = process.execPath;
const seaDir = `${ROOT}dist/sea/`;
const sea = existsSync(seaDir) ? readdirSync(seaDir).find((f) => f.startsWith('zantara-audit-') && !f.endsWith('.cjs')) : undefined;
const entries = [
  { label: 'node -e 0', cmd: node, args: ['-e', '0'] },
  { label: 'zantara-audit --version', cmd: node, args: [BIN, '--version'] },
  { label: 'zantara-audit --help', cmd: node, args: [BIN, '--help'] },
  { label: 'zantara-audit health (closed port; dist/)', cmd: node, args: [BIN, ...full], okCodes: [3] },
  { label: 'zantara-audit health (closed port; esbuild bundle)', cmd: node, args: [bundle, ...full], okCodes: [3] },
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
const m = machine();
const rows = results.map((r) => ({ command: r.label, 'median ms': r.medianMs, 'min ms': r.minMs, 'x node -e 0': r.ratio, 'peak RSS MiB': r.peakRssMiB }));
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${rounds} alternating rounds\n`);
console.log(table(rows));
writeFileSync(`${out}startup.json`, `${JSON.stringify({ machine: m, rounds, results }, null, 2)}\n`);
