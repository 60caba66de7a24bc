// The measurement behind WARM_UP_S (src/checks/metrics/window.ts, issue 10 item 3): how long a freshly
// started real-stack gateway (test/realstack/apps) needs before its event-loop lag is steady.
//   node bench/warmup-lag.js [seconds] [framework ...]      (default 35 s; express fastify hono)
// Each framework app is started, then every 1 s window gets audit-like traffic (health, preflight,
// credentialed chat, a cross-origin POST; five rounds) and ends with a /metrics scrape, which resets
// prom-client's histogram. Prints `age:lag` per window: the process's age at the scrape and the p99
// above its sampling floor (ms), as metrics.eventloop-lag judges it. Not a timing test: read the rows.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { ROOT } from './lib.js';

const [secs = '35', ...asked] = process.argv.slice(2);
const frameworks = asked.length ? asked : ['express', 'fastify', 'hono'];
const ORIGIN = 'http://app.example.test';
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
const value = (text, name) => Number((text.match(new RegExp(`^${name} (\\S+)`, 'm')) ?? [])[1]);

function traffic(url) {
  const preflight = { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
  return Promise.all(
    [
      fetch(`${url}/health`, { headers: { origin: ORIGIN }, signal: AbortSignal.timeout(5000) }),
      fetch(`${url}/api/chat`, { method: 'OPTIONS', headers: preflight, signal: AbortSignal.timeout(5000) }),
      fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: 'Bearer x', 'content-type': 'application/json' },
        body: '{"query":"q"}',
        signal: AbortSignal.timeout(5000),
      }),
      fetch(`${url}/api/chat`, { method: 'POST', headers: { origin: 'http://evil.test' }, body: '{}', signal: AbortSignal.timeout(5000) }),
    ].map((p) => p.then((r) => r.arrayBuffer()).catch(() => undefined)),
  );
}

for (const framework of frameworks) {
  const port = await freePort();
  const child = spawn(process.execPath, [`${ROOT}test/realstack/apps/${framework}.mjs`], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ORIGIN, VARIANT: 'good' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${framework} did not answer /health within 30 s`);
      if (
        await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false,
        )
      )
        break;
      await pause(20);
    }
    const rows = [];
    for (let i = 0; i < Number(secs); i++) {
      const t0 = Date.now();
      for (let k = 0; k < 5; k++) await traffic(url);
      await pause(Math.max(0, 1000 - (Date.now() - t0)));
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      const age = Date.now() / 1000 - value(text, 'process_start_time_seconds');
      const lag = value(text, 'nodejs_eventloop_lag_p99_seconds') * 1000 - Math.floor(value(text, 'nodejs_eventloop_lag_min_seconds') * 1000);
      rows.push(`${age.toFixed(1)}:${lag.toFixed(1)}`);
    }
    console.log(framework, rows.join(' '));
  } finally {
    child.kill('SIGTERM');
  }
}
