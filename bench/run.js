// `npm run bench`: every bench/*.bench.js in turn (each bounded, loopback only). Each prints a
// markdown table; the numbers go into bench/README.md by hand, with the machine.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

let failed = 0;
for (const name of readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.js'))
  .sort()) {
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, [new URL(name, import.meta.url).pathname], { stdio: 'inherit', timeout: 30 * 60_000 });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
