// Shared helpers for the benchmarks: the machine, alternating timed runs, peak RSS from
// /usr/bin/time -v, and a reference server in a child process. Plain Node on dist/, no deps.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = `${ROOT}bin/zantara-audit.js`;

export function machine() {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  return { nproc: Number(nproc), cpu: model, node: process.version, kernel: spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim(), load: loadavg() };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Wall time of one run in ms; throws on a non-zero exit unless `okCodes` allows it. */
export function timeOnce(cmd, args, { okCodes = [0], env, timeout = 60_000 } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
  return ms;
}

/**
 * Every entry run once per round, rounds alternate the entries (and rotate who goes first), so
 * drift on a shared machine hits all of them alike: absolute times move 10-15 % between runs
 * here, ratios to the first entry do not.
 */
export function alternate(entries, rounds) {
  const times = entries.map(() => []);
  for (const e of entries) timeOnce(e.cmd, e.args, e); // warm the page cache
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < entries.length; k++) {
      const i = (k + r) % entries.length;
      const e = entries[i];
      times[i].push(timeOnce(e.cmd, e.args, e));
    }
  }
  const base = median(times[0]);
  // Per round, each entry against the first one of the same round: the drift of a shared machine cancels.
  const perRound = (i) => times[i].map((t, r) => t / times[0][r]);
  const range = (xs) => `${round(Math.min(...xs), 2)}-${round(median(xs), 2)}-${round(Math.max(...xs), 2)}`;
  return entries.map((e, i) => ({
    label: e.label,
    medianMs: round(median(times[i])),
    minMs: round(Math.min(...times[i])),
    ratio: round(median(times[i]) / base, 2),
    ratioRange: range(perRound(i)),
  }));
}

/** Peak RSS (KiB) from GNU time -v, median of `runs`. */
export function peakRssKiB(cmd, args, { runs = 5, okCodes = [0], env } = {}) {
  const values = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env } });
    if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
    values.push(Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]));
  }
  return median(values);
}

export const round = (v, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** `zantara-audit serve` in a child process; resolves to {gateway, rag, pid, close()}. */
export const startServer = (extra = []) => startProcess([BIN, 'serve', '--ready-json', '--exit-on-stdin-close', ...extra]);

/** A node script that prints one JSON line when it listens and exits when its stdin closes (the reference, a floor). */
export async function startProcess(args) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 15 s`)), 15_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
  });
  const ready = JSON.parse(line);
  return {
    ...ready,
    pid: child.pid,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** utime + stime of a live process, ms (Linux, USER_HZ 100). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** VmRSS / VmHWM of a process, KiB (Linux). */
export function procMemKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** A markdown table from rows of objects (the column order of the first row). */
export function table(rows) {
  const cols = Object.keys(rows[0]);
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`)].join('\n');
}
