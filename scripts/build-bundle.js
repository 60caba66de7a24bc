// Bundles the built CLI (dist/cli/main.js) into dist/bundle/zantara-audit.cjs with its
// dependencies, and makes the V8 code cache bin/load-bundle.cjs starts it from. Run by
// `npm run build`; the npm package ships both (bin/zantara-audit.js prefers them to dist/cli/).
// Commands stay lazy: each command's modules are wrapped and evaluated only when it runs
// (esbuild lowers import() to a deferred require); playwright-core stays external, loaded from
// node_modules by `browser` alone.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { withoutUndiciH2 } from './bundle-plugins.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'bundle');
const outfile = join(outdir, 'zantara-audit.cjs');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  external: ['playwright-core'],
  plugins: [withoutUndiciH2()],
  supported: { 'dynamic-import': false },
  define: { __ZANTARA_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  // src/version.ts reads import.meta.url only when __ZANTARA_VERSION__ is not defined, which here it is.
  logOverride: { 'empty-import-meta': 'silent' },
  legalComments: 'none',
  // Less source to read and hash at every start; names are kept, so a stack (ZANTARA_DEBUG=1) still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

// The code cache: one full command (health against the discard port on loopback: refused, exit 3)
// compiles config, checks, HTTP client and reporter; the loader writes the cache at exit.
const run = spawnSync(process.execPath, [join(root, 'bin', 'zantara-audit.js'), 'health', '--gateway', 'http://127.0.0.1:9', '--rag', 'http://127.0.0.1:9', '--no-log', '--json'], {
  stdio: 'ignore',
  env: { ...process.env, NO_COLOR: '1', ZANTARA_AUDIT_LOG: '' },
  timeout: 60_000,
});
let cache = 0;
try {
  cache = statSync(`${outfile}.cache`).size;
} catch {
  // reported below
}
if (!cache) {
  console.error(`build-bundle: no code cache was written (the CLI exited ${run.status ?? run.signal}); the bundle still runs, from source`);
  process.exit(1);
}
