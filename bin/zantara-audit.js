#!/usr/bin/env node
// `--version` alone is answered here, before the CLI and its argument parser load: it is what
// scripts and version managers call most, and it needs nothing but package.json.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const bundle = fileURLToPath(new URL('../dist/bundle/zantara-audit.cjs', import.meta.url));
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else if (existsSync(bundle)) {
  // The bundled build (npm run build makes it; the package ships it), run from its code cache.
  const require = createRequire(import.meta.url);
  require('./load-bundle.cjs').run(bundle, require);
} else {
  // The same program unbundled, for a checkout that ran tsc alone.
  await import('../dist/cli/main.js');
}
