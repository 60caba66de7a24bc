// Builds the single executable: dist/sea/zantara-audit-<platform>-<arch>, a copy of this Node
// binary carrying the whole CLI as a Single Executable Application blob. Needs `npm run build`
// first (npm run build:sea does both). No node_modules are needed next to the result.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import postject from 'postject';
import { withoutUndiciH2 } from './bundle-plugins.js';

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

/**
 * playwright-core is ~7 MB of the binary's JavaScript and only `browser` needs it: it travels as a
 * SEA asset, evaluated when `browser` first requires it, so every other command's start-up neither
 * parses it nor deserialises its code cache. The main bundle gets this module in its place.
 */
const PLAYWRIGHT_ASSET = 'playwright-core.cjs';
function playwrightFromAsset() {
  return {
    name: 'playwright-from-asset',
    setup(b) {
      b.onResolve({ filter: /^playwright-core$/ }, () => ({ path: 'playwright-core', namespace: 'sea-asset' }));
      b.onLoad({ filter: /.*/, namespace: 'sea-asset' }, () => ({
        loader: 'js',
        contents: `const { getAsset } = require('node:sea');
const { wrap } = require('node:module');
const { Script } = require('node:vm');
const source = getAsset(${JSON.stringify(PLAYWRIGHT_ASSET)}, 'utf8');
const m = { exports: {} };
new Script(wrap(source), { filename: ${JSON.stringify(PLAYWRIGHT_ASSET)} }).runInThisContext().call(m.exports, m.exports, require, m, ${JSON.stringify(PLAYWRIGHT_ASSET)}, '.');
module.exports = m.exports;`,
      }));
    },
  };
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // With useCodeCache the SEA has no import() at all, not even for built-ins (node:sea): lower it to require().
  supported: { 'dynamic-import': false },
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
};
const playwrightBundle = join(outDir, PLAYWRIGHT_ASSET);
// Node 20 runs a SEA main script as CommonJS whose require() only loads built-in modules, so
// everything else, dynamic imports included, goes into one CJS file (minified: less to hash and
// deserialise at start), and playwright-core into the asset.
await build({ ...common, entryPoints: [entry], outfile: bundle, plugins: [playwrightFromAsset(), withoutUndiciH2()], minifyWhitespace: true, minifySyntax: true });
await build({
  ...common,
  stdin: { contents: "module.exports = require('playwright-core');", resolveDir: root, loader: 'js' },
  outfile: playwrightBundle,
  plugins: [inlinePlaywrightJson()],
});

if (inlined.count !== 2) {
  console.error(`build-sea: expected 2 playwright-core JSON requires to inline, found ${inlined.count}; update inlinePlaywrightJson()`);
  process.exit(1);
}

/**
 * The code cache. Node's own (`useCodeCache`) is made right after compiling, so it holds the top
 * level only and every function a command runs is compiled at each start. Instead the bundle runs
 * once here (a full command: health against the discard port on loopback, refused) through
 * bin/load-bundle.cjs, which writes the cache at exit with everything that command compiled; the
 * binary's main is a small loader that compiles the bundle asset with that cache. This binary is
 * a copy of the running node, so its V8 accepts the cache.
 */
const cacheFile = `${bundle}.cache`;
spawnSync(
  process.execPath,
  [
    '-e',
    `require(${JSON.stringify(join(root, 'bin', 'load-bundle.cjs'))}).run(${JSON.stringify(bundle)}, require)`,
    'health',
    '--gateway',
    'http://127.0.0.1:9',
    '--rag',
    'http://127.0.0.1:9',
    '--no-log',
  ],
  {
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1', ZANTARA_AUDIT_LOG: '' },
    timeout: 60_000,
  },
);
if (!existsSync(cacheFile)) {
  console.error('build-sea: running the bundle did not write its code cache');
  process.exit(1);
}
const loader = join(outDir, 'sea-main.cjs');
writeFileSync(
  loader,
  `// --version alone needs nothing but the version (as bin/zantara-audit.js answers it).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(${JSON.stringify(`${pkg.version}
`)});
  return;
}
const { getAsset } = require('node:sea');
const { wrap } = require('node:module');
const { Script } = require('node:vm');
const script = new Script(wrap(getAsset('main.cjs', 'utf8')), { filename: 'zantara-audit.cjs', cachedData: Buffer.from(getAsset('main.cjs.cache')) });
const m = { exports: {} };
script.runInThisContext().call(m.exports, m.exports, require, m, 'zantara-audit.cjs', '.');
`,
);
const assets = { 'main.cjs': bundle, 'main.cjs.cache': cacheFile, [PLAYWRIGHT_ASSET]: playwrightBundle };
writeFileSync(config, `${JSON.stringify({ main: loader, output: blob, disableExperimentalSEAWarning: true, assets }, null, 2)}\n`);
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
