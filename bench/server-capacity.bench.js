// The reference server at 10,000 held streams against two floors, in one run (bench/README.md,
// "Reference server capacity"):   node bench/server-capacity.bench.js [rounds] [streams]
// Each round, in rotating order: the reference (`serve --ttft 60000`: the metadata event at once,
// then nothing during the hold), a bare node:http server (head + one comment per request) and a
// bare node:net server (no HTTP parser), each in a fresh process, opened by bench/bare-client.js
// (undici, bytes only) with all streams at once and held 4 s. Server RSS from /proc every 50 ms:
// KiB per stream = (peak - before) / streams, and (at the end of the hold - before) / streams;
// server CPU (utime + stime) per accepted stream; when the client had all streams open.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BIN, cpuMs, machine, median, procMemKiB, ROOT, round, startProcess, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 10_000);
const HOLD_MS = 4000;
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });

const KINDS = {
  reference: [BIN, 'serve', '--ready-json', '--exit-on-stdin-close', '--ttft', '60000'],
  'node:http floor': [`${ROOT}bench/floor-server.js`, 'http'],
  'node:net floor': [`${ROOT}bench/floor-server.js`, 'net'],
};

const tw = () => Number(/tw (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? 0);
async function drainTimeWait() {
  const until = Date.now() + 75_000;
  while (tw() > 1000 && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
}

function client(url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}bench/bare-client.js`, url, String(N), String(HOLD_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`bare-client: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

async function once(kind) {
  await drainTimeWait();
  const server = await startProcess(KINDS[kind]);
  await new Promise((r) => setTimeout(r, 500));
  const before = procMemKiB(server.pid).rss;
  const cpu0 = cpuMs(server.pid);
  let peak = before;
  let last = before;
  const sampler = setInterval(() => {
    last = procMemKiB(server.pid).rss;
    if (last > peak) peak = last;
  }, 50);
  const loadBefore = loadavg()[0];
  const url = kind === 'reference' ? `${server.rag}/bali-zero/chat-stream?query=hello` : `${server.rag}/`;
  const c = await client(url);
  clearInterval(sampler);
  const cpu = cpuMs(server.pid) - cpu0;
  await server.close();
  return {
    kind,
    peakOpen: c.peakOpen,
    allOpenAtMs: c.allOpenAtMs,
    kibPerStreamPeak: round((peak - before) / N, 2),
    kibPerStreamHeld: round((last - before) / N, 2),
    serverCpuMs: round(cpu),
    serverCpuUsPerStream: round((cpu * 1000) / N),
    load1: round((loadBefore + loadavg()[0]) / 2, 2),
  };
}

const runs = [];
const kinds = Object.keys(KINDS);
for (let r = 0; r < rounds; r++) for (let k = 0; k < kinds.length; k++) runs.push(await once(kinds[(k + r) % kinds.length]));

const stat = (xs) => (xs.length ? `${round(median(xs), 2)} (${round(Math.min(...xs), 2)}-${round(Math.max(...xs), 2)})` : 'not all opened');
const byKind = (kind, key) =>
  runs
    .filter((x) => x.kind === kind)
    .map((x) => x[key])
    .filter((v) => typeof v === 'number');
const rows = kinds.map((kind) => ({
  server: kind,
  'all open, ms': stat(byKind(kind, 'allOpenAtMs')),
  'open at the end of the hold': stat(byKind(kind, 'peakOpen')),
  'KiB/stream, peak': stat(byKind(kind, 'kibPerStreamPeak')),
  'KiB/stream, end of hold': stat(byKind(kind, 'kibPerStreamHeld')),
  'server CPU µs/stream': stat(byKind(kind, 'serverCpuUsPerStream')),
  'x http floor (KiB peak, median)': round(median(byKind(kind, 'kibPerStreamPeak')) / median(byKind('node:http floor', 'kibPerStreamPeak')), 2),
}));
const m = machine();
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${N} streams, ${rounds} rounds, load average (1 min) ${stat(runs.map((x) => x.load1))}\n`);
console.log(table(rows));
console.log('\nevery run:\n');
console.log(table(runs));
writeFileSync(`${out}server-capacity.json`, `${JSON.stringify({ machine: m, N, runs, rows }, null, 2)}\n`);
