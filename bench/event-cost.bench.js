// The reference server's CPU per streamed event (bench/README.md, "load --local at 2000 streams"):
//   node bench/event-cost.bench.js [streams] [intervalMs]
// `serve --fault endless` at the given pace (tokens forever), N streams opened by
// bench/bare-client.js and held 8 s; the server's utime + stime is read from /proc between 3 s
// and 7 s (all open, steady), divided by the events that window should carry. The server's share
// of one core at the pace `load --connections N` would meet.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { cpuMs, ROOT, round, startServer } from './lib.js';

const n = Number(process.argv[2] ?? 2000);
const interval = Number(process.argv[3] ?? 50);
const server = await startServer(['--fault', 'endless', '--ttft', '0', '--token-interval', String(interval), '--jitter', '0']);
const client = spawn(process.execPath, [`${ROOT}bench/bare-client.js`, `${server.rag}/bali-zero/chat-stream?query=hello`, String(n), '8000'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let stdout = '';
client.stdout.on('data', (c) => (stdout += c));
await new Promise((r) => setTimeout(r, 3000));
const c0 = cpuMs(server.pid);
const t0 = performance.now();
await new Promise((r) => setTimeout(r, 4000));
const cpu = cpuMs(server.pid) - c0;
const wall = performance.now() - t0;
await new Promise((r) => client.on('close', r));
await server.close();
const peakOpen = JSON.parse(stdout).peakOpen;
const events = (peakOpen * wall) / interval;
console.log(
  JSON.stringify({
    streams: n,
    peakOpen,
    intervalMs: interval,
    serverCpuMs: cpu,
    wallMs: round(wall),
    serverCoreShare: round(cpu / wall, 3),
    usPerEvent: round((cpu * 1000) / events, 2),
    load1: round(loadavg()[0], 2),
  }),
);
