// Benchmark 3: capacity on loopback (bench/README.md).   node bench/capacity.bench.js [rounds]
// Part A, at 10,000 streams, alternating the CLI's `load` and a bare undici client that only
// counts bytes (bench/bare-client.js), each against a fresh reference server whose answers
// outlast the hold: time until all are open, client and server KiB per stream, the client's
// loop-delay p99, and how long until the server's sse_active_streams gauge is 0 after the abort.
// Part B: the largest N the CLI holds with 100% done (the open-file limit caps it).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { BIN, machine, median, procMemKiB, ROOT, round, startServer, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 3);
// `A`, `B` or `AB` (default): part A alone takes ~5 min, part B ~6 min (TIME_WAIT drains between runs).
const parts = process.argv[3] ?? 'AB';
const N = 10_000;
const HOLD_MS = 4000;
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });
const scrapeAgent = new Agent({ connections: 1 });

/** sse_active_streams, or undefined when the scrape failed. */
async function gauge(rag) {
  try {
    const res = await request(`${rag}/metrics`, { dispatcher: scrapeAgent, headersTimeout: 5000, bodyTimeout: 5000 });
    const text = await res.body.text();
    return Number(/^sse_active_streams(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1]);
  } catch {
    return undefined;
  }
}

/**
 * Wait (at most 75 s) until the previous run's TIME_WAIT sockets are gone: 10,000-20,000 of them
 * on 127.0.0.x make the next run's connects search for free ports and slow it down by seconds.
 */
async function drainTimeWait() {
  const until = Date.now() + 75_000;
  const tw = () => Number(/tw (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? 0);
  while (tw() > 1000 && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`not JSON: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

const configFile = (load) => {
  const path = `${out}capacity-${Object.values(load).join('-')}.json`;
  writeFileSync(path, JSON.stringify({ runTimeoutMs: 600_000, load }));
  return path;
};

/** From the CLI's JSON report: the load record's numbers the bench compares. */
function fromCli(report) {
  const ev = (id) => report.findings.find((f) => f.id === id)?.evidence ?? {};
  const s = ev('load.success-rate');
  return {
    allOpenAtMs: s.allOpenAtMs,
    peakOpen: s.peakOpen,
    kibPerStream: s.client?.kibPerStream,
    loopDelayP99Ms: s.client?.loopDelayP99Ms,
    holdLoopDelayP99Ms: s.client?.holdLoopDelayP99Ms,
    completed: s.completed,
    started: s.started,
    failures: s.failures,
    firstEventP99Ms: ev('load.first-event-p99').firstEvent?.p99,
    lag: report.findings.find((f) => f.id === 'load.eventloop-lag')?.observed,
    // The CLI starts cutting its streams durationMs + graceMs after its load started.
    abortAt: Date.parse(s.startedAt) + s.durationMs,
  };
}

async function partA(kind) {
  await drainTimeWait();
  const server = await startServer(['--ttft', '1000', '--token-interval', '1000', '--jitter', '0']); // 64 events, 1 s apart: outlasts the hold
  await new Promise((r) => setTimeout(r, 500));
  const base = procMemKiB(server.pid).rss;
  let serverPeak = base;
  const timeline = [];
  let polling = true;
  // RSS from /proc costs the server nothing; a /metrics scrape at 10k connections costs it 25-85 ms
  // (prom-client counts open fds and active handles), so the gauge is read only from the planned
  // abort on, every 100 ms: the close time is known to +-100 ms.
  const rssTimer = setInterval(() => {
    const rss = procMemKiB(server.pid).rss;
    if (rss > serverPeak) serverPeak = rss;
  }, 100);
  const poll = (async () => {
    await new Promise((r) => setTimeout(r, HOLD_MS));
    while (polling) {
      const v = await gauge(server.rag);
      timeline.push([Date.now(), v]);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const url = `${server.rag}/bali-zero/chat-stream?query=hello`;
  const cfg = configFile({ graceMs: 0, rampMs: 0, durationS: HOLD_MS / 1000, connections: N });
  const started = Date.now();
  let r;
  if (kind === 'cli') {
    r = fromCli(await runChild([BIN, 'load', '--rag', server.rag, '--config', cfg, '--json', '--no-log']));
  } else {
    r = await runChild([`${ROOT}bench/bare-client.js`, url, String(N), String(HOLD_MS)]);
  }
  // Wait for the gauge to reach 0 (bounded), then stop.
  const until = Date.now() + 15_000;
  while (Date.now() < until && !(timeline.at(-1)?.[1] === 0 && timeline.at(-1)[0] > r.abortAt)) await new Promise((res) => setTimeout(res, 50));
  polling = false;
  clearInterval(rssTimer);
  await poll;
  await server.close();
  const zero = timeline.find(([t, v]) => t >= r.abortAt && v === 0);
  return {
    kind,
    allOpenAtMs: r.allOpenAtMs,
    peakOpen: r.peakOpen,
    clientKiBPerStream: r.kibPerStream,
    serverKiBPerStream: round((serverPeak - base) / N),
    clientLoopDelayP99Ms: r.loopDelayP99Ms,
    clientHoldLoopDelayP99Ms: r.holdLoopDelayP99Ms,
    serverClosedAllMs: zero ? zero[0] - r.abortAt : null,
    wallMs: Date.now() - started,
    load1: round(loadavg()[0], 2),
  };
}

async function partB(n) {
  await drainTimeWait();
  const server = await startServer(['--ttft', '0', '--token-interval', '350', '--jitter', '0']); // ~22 s answers: no slot re-opens within the 10 s window
  await new Promise((r) => setTimeout(r, 500));
  const cfg = configFile({ rampMs: 0, durationS: 10, graceMs: 40_000, connections: n });
  const report = await runChild([BIN, 'load', '--rag', server.rag, '--config', cfg, '--json', '--no-log']);
  await server.close();
  const r = fromCli(report);
  return {
    streams: n,
    started: r.started,
    done: r.completed,
    'done %': round((100 * r.completed) / Math.max(1, r.started), 2),
    allOpenAtMs: r.allOpenAtMs,
    peakOpen: r.peakOpen,
    firstEventP99Ms: r.firstEventP99Ms,
    failures: JSON.stringify(r.failures),
    'server lag': r.lag,
  };
}

const a = [];
if (parts.includes('A')) for (let i = 0; i < rounds; i++) for (const kind of i % 2 ? ['bare', 'cli'] : ['cli', 'bare']) a.push(await partA(kind));
const summary = ['cli', 'bare'].map((kind) => {
  const rows = a.filter((x) => x.kind === kind);
  const m = (k) => median(rows.map((x) => x[k]).filter((v) => typeof v === 'number'));
  return {
    client: kind === 'cli' ? 'zantara-audit load' : 'bare undici (bytes only)',
    'all open (ms)': m('allOpenAtMs'),
    'client KiB/stream': m('clientKiBPerStream'),
    'server KiB/stream': m('serverKiBPerStream'),
    'client loop p99 (ms)': m('clientLoopDelayP99Ms'),
    'client loop p99 while holding (ms)': m('clientHoldLoopDelayP99Ms'),
    'server closed all (ms after abort)': m('serverClosedAllMs'),
    runs: rows.length,
  };
});
const b = [];
if (parts.includes('B')) for (const n of [10_000, 15_000, 19_900]) b.push(await partB(n));
await scrapeAgent.close();
const mach = machine();
console.log(`${mach.nproc} cores, ${mach.cpu}, node ${mach.node}\n\nA: ${N} streams held ${HOLD_MS} ms, median of ${rounds}\n`);
if (a.length) {
  console.log(table(summary));
  console.log("\nA, every run (load1: the machine's 1-minute load average after the run):\n");
  console.log(table(a));
}
if (b.length) {
  console.log('\nB: largest N held with 100% done\n');
  console.log(table(b));
}
writeFileSync(`${out}capacity.json`, `${JSON.stringify({ machine: mach, a, summary, b }, null, 2)}\n`);
