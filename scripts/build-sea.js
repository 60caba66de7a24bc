// Builds the single executable: dist/sea/zantara-audit-<platform>-<arch>, a copy of this Node
// binary carrying the whole CLI as a Single Executable Application blob. Needs `npm run build`
// first (npm run build:sea does both). No node_modules are needed next to the result.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import postject from 'postject';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', 'sea');
const entry = join(root, 'dist', 'cli', 'main.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const exeName = `zantara-audit-${process.platform}-${process.arch}${process.platform === 'win32' ? '.exe' : ''}`;
// The fuse Node looks for to know a blob was injected (Node's SEA docs; postject's default differs).
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

try {
  statSync(entry);
} catch {
  console.error(`build-sea: ${entry} is missing; run npm run build first (or npm run build:sea)`);
  process.exit(2);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const bundle = join(outDir, 'zantara-audit.cjs');
const blob = join(outDir, 'sea-prep.blob');
const config = join(outDir, 'sea-config.json');
const exe = join(outDir, exeName);

/**
 * playwright-core (the `browser` command's driver) requires two of its own JSON files by computed
 * path when it loads; a binary has no such files, so their contents are inlined. Exactly two
 * sites are expected: a playwright upgrade that moves them fails this build, not the binary.
 */
const inlined = { count: 0 };
function inlinePlaywrightJson() {
  const dir = join(root, 'node_modules', 'playwright-core');
  const files = { package: readFileSync(join(dir, 'package.json'), 'utf8'), browsers: readFileSync(join(dir, 'browsers.json'), 'utf8') };
  const site = /require\((import_path\d*)\.default\.join\((packageRoot|__dirname, "\.\."), "(package|browsers)\.json"\)\)/g;
  return {
    name: 'inline-playwright-json',
    setup(b) {
      b.onLoad({ filter: /[\\/]playwright-core[\\/]lib[\\/][^\\/]+\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8').replace(site, (_m, _path, _base, name) => {
          inlined.count++;
          return `(${files[name]})`;
        });
        return { contents: source, loader: 'js' };
      });
    },
  };
}


// Node 20 runs a SEA main script as CommonJS whose require() only loads built-in modules, so
// everything, dynamic imports included, goes into one CJS file.
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  // With useCodeCache the SEA has no import() at all, not even for built-ins (node:sea): lower it to require().
  supported: { 'dynamic-import': false },
  plugins: [inlinePlaywrightJson()],
  define: {
    __ZANTARA_VERSION__: JSON.stringify(pkg.version),
    // ws (inside playwright-core) would try its optional native add-ons; the binary has none.
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
  },
  legalComments: 'none',
  // src/version.ts reads import.meta.url only when __ZANTARA_VERSION__ is not defined, which here it is.
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
});

if (inlined.count !== 2) {
  console.error(`build-sea: expected 2 playwright-core JSON requires to inline, found ${inlined.count}; update inlinePlaywrightJson()`);
  process.exit(1);
}

writeFileSync(config, `${JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2)}\n`);
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });

copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// macOS refuses a modified signed binary: drop the signature, re-sign ad hoc afterwards.
if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', exe]);
await postject.inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: SENTINEL_FUSE,
  machoSegmentName: process.platform === 'darwin' ? 'NODE_SEA' : undefined,
});
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', exe]);

const mb = (path) => `${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`;
console.log(`build-sea: ${exe} (${mb(exe)}; bundle ${mb(bundle)}, Node ${process.version})`);
