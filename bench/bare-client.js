// The floor for benchmark 3: a bare undici client that opens N streams and only counts bytes (no
// SSE parsing, no judging). Same Agent-per-source-address spread as `load`, so the comparison is
// the tool's own cost.   node bench/bare-client.js <url> <streams> <holdMs>
// Prints one JSON line: when all were open, RSS, loop delay, and when it aborted (epoch ms).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Agent from 'undici/lib/dispatcher/agent.js';

const [url, n, holdMs] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const sources = /^127\./.test(url.hostname) && n > 1000 ? Array.from({ length: Math.min(16, Math.ceil(n / 1000)) }, (_, i) => `127.0.0.${i + 1}`) : [undefined];
const agents = sources.map((localAddress) => new Agent({ connections: Math.ceil(n / sources.length), pipelining: 1, bodyTimeout: 0, localAddress }));
const loop = monitorEventLoopDelay({ resolution: 1 });
const holdLoop = monitorEventLoopDelay({ resolution: 1 }); // after the last request was sent
const rss0 = process.memoryUsage.rss();
let open = 0;
let peak = 0;
let bytes = 0;
let allOpenAtMs = null;
let rssPeak = rss0;
const aborts = [];
const t0 = performance.now();
loop.enable();

const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > rssPeak) rssPeak = rss;
}, 100);
let slice = performance.now() + 4;
for (let i = 0; i < n; i++) {
  // The same 4 ms slices per loop turn as load, so neither blocks its loop with 10k connects.
  if (performance.now() >= slice) {
    await new Promise((r) => setImmediate(r));
    slice = performance.now() + 4;
  }
  agents[i % agents.length].dispatch(
    { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers: { accept: 'text/event-stream' } },
    {
      onConnect: (abort) => aborts.push(abort),
      onHeaders: (status) => {
        if (status === 200 && ++open > peak) peak = open;
        if (allOpenAtMs === null && open === n) allOpenAtMs = Math.round(performance.now() - t0);
        return true;
      },
      onData: (chunk) => {
        bytes += chunk.length;
        return true;
      },
      onComplete: () => {
        open--;
      },
      onError: () => {
        open--;
      },
    },
  );
}
holdLoop.enable();
await new Promise((r) => setTimeout(r, Math.max(0, holdMs - (performance.now() - t0))));
const abortAt = Date.now();
holdLoop.disable();
loop.disable(); // as load: the loop delay while opening and holding, not while tearing down
const err = new Error('bench abort');
Error.stackTraceLimit = 0;
for (const abort of aborts) abort(err);
await Promise.all(agents.map((a) => a.destroy().catch(() => undefined)));
clearInterval(sampler);
const kib = (b) => Math.round((b / 1024) * 10) / 10;
console.log(
  JSON.stringify({
    streams: n,
    peakOpen: peak,
    allOpenAtMs,
    bytes,
    rssBaselineKiB: kib(rss0),
    rssPeakKiB: kib(rssPeak),
    kibPerStream: peak ? Math.round(((rssPeak - rss0) / 1024 / peak) * 10) / 10 : null,
    loopDelayP99Ms: Math.max(0, Math.round((loop.percentile(99) / 1e6 - 1) * 100) / 100),
    holdLoopDelayP99Ms: Math.max(0, Math.round((holdLoop.percentile(99) / 1e6 - 1) * 100) / 100),
    abortAt,
  }),
);
process.exit(0);
