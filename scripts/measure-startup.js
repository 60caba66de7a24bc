// Start-up time of the CLI entry points, for README's "Single executable" section:
// node scripts/measure-startup.js [runs]. Median and min of wall time per command, run one after
// another; the numbers depend on the machine, so they are measured, never asserted in tests.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 20);
const root = fileURLToPath(new URL('..', import.meta.url));
const exe = `${root}dist/sea/zantara-audit-${process.platform}-${process.arch}`;
const commands = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ['node bin/zantara-audit.js --version', process.execPath, [`${root}bin/zantara-audit.js`, '--version']],
  ['node bin/zantara-audit.js --help', process.execPath, [`${root}bin/zantara-audit.js`, '--help']],
  ...(existsSync(exe)
    ? [
        [`${exe.slice(root.length)} --version`, exe, ['--version']],
        [`${exe.slice(root.length)} --help`, exe, ['--help']],
      ]
    : []),
];

const ms = (cmd, args) => {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};

for (const [label, cmd, args] of commands) {
  ms(cmd, args); // warm the page cache
  const times = Array.from({ length: runs }, () => ms(cmd, args)).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(52)} median ${median.toFixed(0).padStart(4)} ms   min ${times[0].toFixed(0).padStart(4)} ms   (${runs} runs)`);
}
if (existsSync(exe)) console.log(`binary size: ${(statSync(exe).size / 1024 / 1024).toFixed(1)} MB (${statSync(exe).size} bytes)`);
