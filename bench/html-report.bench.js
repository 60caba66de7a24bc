// The HTML report of a large load run: its size, and how long headless Chromium takes to open it,
// against a floor (a near-empty page opened the same way, alternating, same browser).
//   node bench/html-report.bench.js [connections] [opens]
// 1. real: `zantara-audit load --local --connections N --html …` (N default 10,000);
// 2. synthetic: a realistic 10,000-stream load result (both histograms from 10,000 × answers
//    log-normal samples, the full 600-point series, 600 scrape windows in the evidence) rendered
//    by the same renderer, so the size bound is checked at its worst case whatever N ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BIN, machine, median, ROOT, round, table } from './lib.js';
import { CHROMIUM_FLAGS } from '../dist/checks/browser/chromium.js';

const N = Number(process.argv[2] ?? 10_000);
const OPENS = Number(process.argv[3] ?? 15);
const out = `${ROOT}bench/out/html/`;
mkdirSync(out, { recursive: true });

function realRun() {
  const file = `${out}load-${N}.html`;
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [BIN, 'load', '--local', '--no-log', '--connections', String(N), '--ramp', '2000', '--duration', '4', '--html', file, '--json-file', `${out}load-${N}.json`],
    {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    },
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`load exited ${r.status}: ${r.stderr.slice(-500)}`);
  console.log(`real load run (${N} slots, exit ${r.status}) took ${Date.now() - started} ms; ${r.stdout.trim().split('\n').at(-1)}`);
  return file;
}

/** A log-normal sample around `medianMs`, deterministic (mulberry32). */
function sampler(seed) {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (medianMs, sigma) => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand()));
}

async function syntheticReport() {
  const [{ LatencyHistogram }, { OverTime }, { loadCharts }, { judgeLoad }, { renderHtml }, { buildReport }] = await Promise.all(
    ['checks/load/histogram.js', 'checks/load/over-time.js', 'checks/load/charts.js', 'checks/load/rules.js', 'report/html/render.js', 'report/report.js'].map(
      (p) => import(pathToFileURL(`${ROOT}dist/${p}`).href),
    ),
  );
  const sample = sampler(42);
  const firstEvent = new LatencyHistogram();
  const done = new LatencyHistogram();
  const streams = N * 6; // a 60 s closed-loop run: each slot answers about six times
  for (let i = 0; i < streams; i++) {
    firstEvent.record(sample(180, 0.9));
    done.record(sample(9000, 0.35));
  }
  const overTime = new OverTime();
  for (let t = 0, completed = 0, failed = 0; t < 70_000; t += 5) {
    const open = t < 2000 ? Math.round((N * t) / 2000) : t < 60_000 ? N - (t % 97) : Math.max(0, Math.round(N * (1 - (t - 60_000) / 10_000)));
    completed += t > 9000 && t % 15 === 0 ? 13 : 0;
    failed += t % 5000 === 0 ? 1 : 0;
    overTime.note(t, open, completed, failed);
  }
  const windows = Array.from({ length: 700 }, (_, i) => ({ atMs: i * 100, activeStreams: N - (i % 13), lagP99Ms: 2 + (i % 9), lagMaxMs: 5 + (i % 17), floorMs: 1 }));
  const run = {
    url: 'http://127.0.0.1:40000/bali-zero/chat-stream?query=hello',
    connections: N,
    rampMs: 2000,
    durationMs: 60_000,
    graceMs: 10_000,
    sourceAddresses: 1,
    startedAt: new Date().toISOString(),
    elapsedMs: 70_000,
    started: streams,
    opened: streams,
    completed: streams - 14,
    failed: 14,
    failures: { reset: 9, 'closed without done': 5 },
    aborted: 0,
    peakOpen: N,
    allOpenAtMs: 2100,
    events: streams * 15,
    eventsPerSecond: Math.round((streams * 15) / 70),
    bytes: streams * 900,
    firstEvent: firstEvent.toJSON(),
    done: done.toJSON(),
    client: {
      cpuUserMs: 40_000,
      cpuSystemMs: 9000,
      cpuPercent: 70,
      rssBaselineBytes: 60e6,
      rssPeakBytes: 180e6,
      kibPerStream: 11.7,
      loopDelayP99Ms: 6,
      loopDelayMaxMs: 40,
      holdLoopDelayP99Ms: 3.8,
    },
    samples: [],
    overTime: overTime.toJSON(),
    interrupted: false,
  };
  const scrape = { url: 'http://127.0.0.1:40000/metrics', missing: [], windows };
  const findings = judgeLoad(run, scrape, { successRate: 0.999, firstEventP99Ms: 5000, eventLoopLagMs: 10 });
  const report = buildReport({
    command: 'load',
    startedAt: new Date(),
    durationMs: 72_000,
    targets: { gateway: 'http://127.0.0.1:40001', rag: 'http://127.0.0.1:40000', origin: 'https://zantara.balizero.com' },
    findings,
    attachments: [loadCharts(run, scrape)],
    logFile: '/tmp/zantara-audit-x/audit.jsonl',
    exitCode: 0,
    interrupted: false,
  });
  const file = `${out}synthetic-load-${N}.html`;
  writeFileSync(file, renderHtml(report));
  return file;
}

/**
 * Open each file `OPENS` times in a fresh page, alternating with the floor: wall time of goto until
 * the load event, and in the page the time from navigation start to the second frame after load
 * (everything laid out and painted), as a reader would wait for it.
 */
async function openTimes(files) {
  const { chromium } = await import('playwright-core');
  const profile = `${out}profile-${process.pid}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    ignoreDefaultArgs: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--host-resolver-rules=MAP * ~NOTFOUND', '--remote-debugging-pipe'],
    timeout: 30_000,
  });
  const times = files.map(() => ({ load: [], painted: [] }));
  try {
    for (let round = -1; round < OPENS; round++) {
      for (const [i, file] of files.entries()) {
        const page = await browser.newPage();
        const t0 = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const loadMs = performance.now() - t0;
        const painted = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))));
        await page.close();
        if (round >= 0) times[i].load.push(loadMs), times[i].painted.push(painted);
      }
    }
  } finally {
    await browser.close();
    spawnSync('rm', ['-rf', profile]);
  }
  return times;
}

const floor = `${out}floor.html`;
writeFileSync(floor, '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><p>floor</p></body></html>\n');
const real = process.argv.includes('--no-real') ? undefined : realRun();
const synthetic = await syntheticReport();
const files = [floor, ...(real ? [real] : []), synthetic];
const times = await openTimes(files);
const base = median(times[0].load);
console.log(JSON.stringify(machine()));
console.log(
  table(
    files.map((f, i) => ({
      page: f.replace(out, ''),
      size: `${round(statSync(f).size / 1024)} KiB`,
      'goto→load median (min–max)': `${round(median(times[i].load))} ms (${round(Math.min(...times[i].load))}–${round(Math.max(...times[i].load))})`,
      'navigation → painted': `${round(median(times[i].painted))} ms (max ${round(Math.max(...times[i].painted))})`,
      'ratio to floor': round(median(times[i].load) / base, 2),
    })),
  ),
);
