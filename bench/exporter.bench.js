// The exporter under Prometheus-like pressure: N probes from C concurrent scrapers against
// `exporter --local`, the exporter's RSS before and after, and probe durations per module
// against a floor measured in the same run (the same HTTP requests sent directly, no audit).
//   npm run build && node bench/exporter.bench.js --probes 1000 --scrapers 10
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, machine, median, procMemKiB, round, table } from './lib.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PROBES = arg('probes', 1000);
const SCRAPERS = arg('scrapers', 10);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

const dir = mkdtempSync(join(tmpdir(), 'za-bench-exporter-'));
writeFileSync(
  join(dir, 'c.json'),
  JSON.stringify({
    exporter: { maxConcurrent: SCRAPERS, modules: { 'stream-fast': { checks: 'stream', skip: ['sse.disconnect', 'sse.empty-query', 'sse.reconnect-after-done'] } } },
  }),
);
const child = spawn(process.execPath, [BIN, 'exporter', '--local', '--listen', '127.0.0.1:0', '--config', join(dir, 'c.json'), '--log-dir', join(dir, 'logs')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NO_COLOR: '1' },
});
let err = '';
const url = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`exporter did not start: ${err}`)), 30_000);
  child.stderr.on('data', (c) => {
    err += c;
    const m = /listening on (http:\/\/\S+)/.exec(err);
    if (m) {
      clearTimeout(t);
      resolve(m[1]);
    }
  });
});

async function probe(module) {
  const t0 = performance.now();
  const res = await fetch(`${url}/probe?target=local&module=${module}`);
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, success: /^zantara_probe_success 1$/m.test(text) };
}

/** `total` probes of `module` from `scrapers` concurrent loops. */
async function pressure(module, total, scrapers) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: scrapers }, async () => {
      while (next++ < total) results.push(await probe(module));
    }),
  );
  return results;
}

/** The floor: the health module's requests (GET /health and /metrics of both services), sent directly. */
async function healthFloor() {
  const page = await (await fetch(`${url}/`)).text();
  const [gateway, rag] = [...page.matchAll(/(http:\/\/127\.0\.0\.1:\d+)<br>(http:\/\/127\.0\.0\.1:\d+)/g)][0].slice(1);
  const t0 = performance.now();
  await Promise.all([gateway, rag].flatMap((b) => [fetch(`${b}/health`).then((r) => r.text()), fetch(`${b}/metrics`).then((r) => r.text())]));
  return performance.now() - t0;
}

const rows = [];
try {
  const start = procMemKiB(child.pid);
  // Warm-up at the same pressure: JIT, heap growth to its steady size for 10 probes in flight.
  await pressure('health', 200, SCRAPERS);
  const before = procMemKiB(child.pid);
  const t0 = performance.now();
  const all = await pressure('health', PROBES, SCRAPERS);
  const wall = performance.now() - t0;
  const after = procMemKiB(child.pid);
  const byStatus = new Map();
  for (const r of all) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const statuses = [...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ');
  console.log(`\n${PROBES} health probes, ${SCRAPERS} concurrent scrapers: ${round(wall / 1000, 2)} s, ${statuses}; success ${all.filter((r) => r.success).length}`);
  console.log(
    `exporter RSS: ${round(start.rss / 1024)} MiB idle, ${round(before.rss / 1024)} MiB after 200 warm-up probes → ${round(after.rss / 1024)} MiB after ${PROBES} probes (growth ${round((after.rss - before.rss) / 1024)} MiB; peak ${round(after.hwm / 1024)} MiB)\n`,
  );
  const floor = [];
  for (let i = 0; i < 30; i++) floor.push(await healthFloor());
  const floorMs = median(floor);
  rows.push({ what: "floor: the health module's 4 GETs, direct", probes: 30, 'p50 ms': round(floorMs), 'p95 ms': round(pct(floor, 95)), 'p50 / floor': 1 });
  const conc = all.map((r) => r.ms);
  rows.push({
    what: `health, ${SCRAPERS} concurrent`,
    probes: PROBES,
    'p50 ms': round(median(conc)),
    'p95 ms': round(pct(conc, 95)),
    'p50 / floor': round(median(conc) / floorMs, 1),
  });
  for (const [module, n] of [
    ['health', 30],
    ['preflight', 30],
    ['stream-fast', 20],
    ['stream', 10],
    ['audit', 5],
  ]) {
    const seq = (await pressure(module, n, 1)).map((r) => r.ms);
    rows.push({ what: `${module}, one at a time`, probes: n, 'p50 ms': round(median(seq)), 'p95 ms': round(pct(seq, 95)), 'p50 / floor': round(median(seq) / floorMs, 1) });
  }
  console.log(table(rows));
  console.log(`\nmachine: ${JSON.stringify(machine())}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
