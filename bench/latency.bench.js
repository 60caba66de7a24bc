// Benchmark: how far `load`'s TTFT and ITL are from the truth (bench/README.md, "Latency measurement error").
//   npm run build && node bench/latency.bench.js [streams...]   (default: 100 1000, then an open-loop rate)
// The reference server stamps every event with its generation time ("t", epoch ms from
// performance.timeOrigin + performance.now() just before res.write: /work/coord/SERVER_STAMP.md);
// `load` reads it (stream.generatedAtField "t") and records, per content event, its arrival time
// (the same clock) minus the stamp, and per ITL gap |client gap - server gap|. The loopback RTT
// is measured first (keep-alive GET /health), as the floor of the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Agent, request } from 'undici';
import { machine, median, ROOT, round, startServer, table } from './lib.js';

const { runLoad } = await import(`${ROOT}dist/checks/load/engine.js`);
const { latencySchema } = await import(`${ROOT}dist/latency/config.js`);

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const CLOSED = sizes.length ? sizes : [100, 1000];
const OPEN_RATE = 200; // streams/s; each answer lasts ~1.7 s, so ~340 in flight
const PACE = ['--ttft', '100', '--token-interval', '25', '--jitter', '0'];
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });

/** Keep-alive round trips to /health after a warm-up: min and median, ms. */
async function loopbackRtt(rag) {
  const agent = new Agent({ connections: 1, pipelining: 1 });
  const times = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    const res = await request(`${rag}/health`, { dispatcher: agent });
    await res.body.text();
    if (i >= 20) times.push(performance.now() - t0);
  }
  await agent.close();
  return { min: round(Math.min(...times), 3), median: round(median(times), 3) };
}

function plan(rag, connections, open) {
  return {
    url: `${rag}/bali-zero/chat-stream?query=hello`,
    method: 'GET',
    framing: 'sse',
    connections,
    rampMs: open ? 0 : 1000,
    durationMs: 5000,
    graceMs: 10_000,
    timeoutMs: 10_000,
    headers: { accept: 'text/event-stream', 'cache-control': 'no-cache', origin: 'https://zantara.balizero.com' },
    done: [{ kind: 'json', field: 'type', equals: 'done' }],
    localAddresses: [undefined],
    latency: latencySchema.parse({ generatedAtField: 't' }),
    ...(open && { open: { rate: OPEN_RATE, arrival: 'poisson', seed: 1 } }),
  };
}

const f = (v) => (typeof v === 'number' ? round(v, 3) : 'n/a');

/** The floor client (bench/stamp-floor.js) in its own process against its own fresh server. */
async function floor(connections) {
  const server = await startServer(PACE);
  try {
    const r = spawnSync(process.execPath, [`${ROOT}bench/stamp-floor.js`, server.rag, String(connections), '5000'], { encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(r.stdout);
  } finally {
    await server.close();
  }
}

async function one(label, connections, open) {
  const base = open ? undefined : await floor(connections);
  const server = await startServer(PACE);
  try {
    const rtt = await loopbackRtt(server.rag);
    const run = await runLoad(plan(server.rag, connections, open), new AbortController().signal);
    const s = run.stamps;
    const row = {
      run: label,
      streams: `${run.completed}/${run.started} done, peak ${run.peakOpen} open`,
      'RTT min / median ms': `${rtt.min} / ${rtt.median}`,
      'first token: arrival - stamp p50 / p99 / max ms': `${f(s.firstTokenArrivalMinusStamp.p50)} / ${f(s.firstTokenArrivalMinusStamp.p99)} / ${f(s.firstTokenArrivalMinusStamp.max)}`,
      'TTFT error p99 ms (minus RTT median)': f(s.firstTokenArrivalMinusStamp.p99 - rtt.median),
      'every token: arrival - stamp p50 / p99 ms': `${f(s.arrivalMinusStamp.p50)} / ${f(s.arrivalMinusStamp.p99)}`,
      'ITL error |client - server gap| p50 / p99 / max ms': `${f(s.itlError.p50)} / ${f(s.itlError.p99)} / ${f(s.itlError.max)}`,
      'floor client (raw sockets): first token / every token arrival - stamp p50 / p99 ms': base
        ? `${f(base.firstToken.p50)} / ${f(base.firstToken.p99)}; ${f(base.everyToken.p50)} / ${f(base.everyToken.p99)}`
        : 'n/a',
      'arrival - stamp min ms (clock offset bound)': f(s.arrivalMinusStamp.min),
      'client loop delay p99 / max ms': `${run.client.loopDelayP99Ms} / ${run.client.loopDelayMaxMs}`,
      'client CPU %': run.client.cpuPercent,
      ...(run.arrivals && { 'asked / achieved streams/s': `${run.arrivals.askedRate} / ${run.arrivals.achievedRate}` }),
      'load avg': loadavg()[0].toFixed(1),
    };
    writeFileSync(`${out}latency-${label.replace(/\W+/g, '-')}.json`, JSON.stringify({ rtt, run, floor: base ?? null }, null, 1));
    return row;
  } finally {
    await server.close();
  }
}

const rows = [];
for (const n of CLOSED) {
  rows.push(await one(`closed ${n}`, n, false));
  console.error(rows.at(-1));
}
if (!sizes.length) {
  rows.push(await one(`open ${OPEN_RATE}/s`, 2000, true));
  console.error(rows.at(-1));
}
console.log(`${JSON.stringify(machine())}\n\n${table(rows)}`);
