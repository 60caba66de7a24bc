// The floor for bench/latency.bench.js: the least a client can do to time events — raw sockets,
// one GET each, and on every read the arrival time (performance.timeOrigin + performance.now(),
// the server's stamp clock) minus each "t" stamp in the read. No HTTP parser, no SSE parser, no
// judging. Same streams, ramp and window as the load run it is compared with.
//   node bench/stamp-floor.js <rag base url> <streams> <durationMs>   → one JSON line
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [base, n, durationMs] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const request = `GET /bali-zero/chat-stream?query=hello HTTP/1.1\r\nHost: ${base.host}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`;
const all = [];
const first = [];
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const t0 = performance.now();
let active = 0;
let completed = 0;
const STAMP = /"t":([0-9.]+)/g;

function open() {
  active++;
  let sawToken = false;
  const socket = connect({ host: base.hostname, port: Number(base.port) }, () => socket.write(request));
  socket.setEncoding('utf8');
  socket.on('data', (text) => {
    const now = performance.timeOrigin + performance.now();
    for (const m of text.matchAll(STAMP)) {
      const lag = now - Number(m[1]);
      all.push(lag);
      // The first token of the answer (the metadata event comes before it).
      if (!sawToken && text.lastIndexOf('"type":"token"', m.index) !== -1) {
        sawToken = true;
        first.push(lag);
      }
    }
    if (text.includes('"type":"done"')) completed++;
  });
  socket.on('close', () => {
    active--;
    if (performance.now() - t0 < durationMs) open();
  });
  socket.on('error', () => undefined);
}

for (let i = 0; i < n; i++) setTimeout(open, (i * 1000) / n);
await new Promise((resolve) => {
  const timer = setInterval(() => {
    if (performance.now() - t0 >= durationMs && active === 0) resolve(clearInterval(timer));
  }, 20);
});
loop.disable();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1] * 1000) / 1000 : null;
};
const dist = (xs) => ({ count: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100), min: xs.length ? Math.round(Math.min(...xs) * 1000) / 1000 : null });
console.log(
  JSON.stringify({
    streams: n,
    completed,
    firstToken: dist(first),
    everyToken: dist(all),
    loopDelayP99Ms: Math.max(0, loop.percentile(99) / 1e6 - 1),
    loopDelayMaxMs: loop.max / 1e6,
  }),
);
