/**
 * A load run as inline SVG: for time to first event and to done, a histogram on a log time axis
 * with its CDF over it and the p50/p95/p99 lines; then the streams over time (client's open
 * streams, the server's gauge, failures so far). Drawn from bounded aggregates only.
 */
import type { Distribution, LoadCharts } from '../../core/attachments.js';
import { FRAME, esc, fmt, legend, linear, log, logTicks, ms, svg, ticks, xAxis, yAxis } from './svg.js';

const BINS = 48;

export function renderLoad(l: LoadCharts): string {
  return `<div class="load">
${distributionChart('time to first event', 'first-event', l.firstEvent)}
${distributionChart('time to done', 'done', l.done)}
${overTimeChart(l)}
</div>`;
}

function distributionChart(name: string, cls: string, d: Distribution): string {
  if (d.count === 0 || d.buckets.length === 0) return `<figure class="dist ${cls}"><figcaption>${esc(name)}: no stream got this far</figcaption></figure>`;
  const f = FRAME;
  const lo = Math.max(d.buckets[0]?.[0] ?? 0.001, 0.001);
  const hi = Math.max(d.buckets.at(-1)?.[1] ?? lo, lo * 1.5);
  const x = log([lo, hi], [f.left, f.width - f.right]);
  const bins = rebin(d.buckets, lo, hi);
  const top = Math.max(...bins.map((b) => b.count), 1);
  const y = linear([0, top], [f.height - f.bottom, f.top]);
  const yCdf = linear([0, 1], [f.height - f.bottom, f.top]);
  const parts = [xAxis(f, x, logTicks(lo, hi), ms), yAxis(f, y, ticks(top, 4), fmt)];
  for (const b of bins) {
    if (b.count === 0) continue;
    parts.push(
      `<rect class="bar" x="${x(b.low)}" y="${y(b.count)}" width="${Math.max(1, x(b.high) - x(b.low) - 1)}" height="${f.height - f.bottom - y(b.count)}"><title>${fmt(b.low)}–${fmt(b.high)} ms: ${b.count}</title></rect>`,
    );
  }
  let seen = 0;
  const cdf = d.buckets.map(([, high, count]) => `${x(high)},${yCdf((seen += count) / d.count)}`);
  parts.push(`<polyline class="cdf" points="${x(lo)},${yCdf(0)} ${cdf.join(' ')}"/>`);
  (
    [
      ['p50', d.p50],
      ['p95', d.p95],
      ['p99', d.p99],
    ] as const
  ).forEach(([p, v], i) => {
    if (v === null) return;
    // Staggered, and on the left of the line near the right edge, so close percentiles stay readable.
    const right = x(v) > f.width - f.right - 90;
    const text = `<text class="pct-label" x="${x(v) + (right ? -3 : 3)}" y="${f.top + 10 + i * 12}" text-anchor="${right ? 'end' : 'start'}">${p} ${ms(v)}</text>`;
    parts.push(`<line class="pct" x1="${x(v)}" x2="${x(v)}" y1="${f.top}" y2="${f.height - f.bottom}"/>${text}`);
  });
  const label = `${name}: ${d.count} streams, p50 ${ms(d.p50 ?? NaN)}, p99 ${ms(d.p99 ?? NaN)}`;
  return `<figure class="dist ${cls}"><figcaption><b>${esc(name)}</b> — ${d.count} streams; p50 ${ms(d.p50 ?? NaN)}, p95 ${ms(d.p95 ?? NaN)}, p99 ${ms(d.p99 ?? NaN)}, max ${ms(d.max ?? NaN)}</figcaption>
${svg(f, 'chart', label, parts.join(''))}
${legend([
  ['#90cdf4', 'streams per bin (log time axis)'],
  ['#2c5282', 'cumulative share (CDF, 0–100 %)'],
])}</figure>`;
}

interface Bin {
  low: number;
  high: number;
  count: number;
}

/** The histogram's fine buckets summed into BINS equal bins on a log axis. */
function rebin(buckets: ReadonlyArray<[number, number, number]>, lo: number, hi: number): Bin[] {
  const l0 = Math.log10(lo);
  const width = (Math.log10(hi) - l0) / BINS || 1;
  const bins: Bin[] = Array.from({ length: BINS }, (_, i) => ({ low: 10 ** (l0 + i * width), high: 10 ** (l0 + (i + 1) * width), count: 0 }));
  for (const [low, high, count] of buckets) {
    const mid = Math.sqrt(Math.max(low, lo) * Math.max(high, lo));
    const i = Math.min(BINS - 1, Math.max(0, Math.floor((Math.log10(mid) - l0) / width)));
    (bins[i] as Bin).count += count;
  }
  return bins;
}

function overTimeChart(l: LoadCharts): string {
  const f = FRAME;
  const pts = l.overTime.points;
  const end = Math.max(pts.at(-1)?.[0] ?? 0, l.serverActive.at(-1)?.[0] ?? 0, 1);
  const top = Math.max(l.connections, ...pts.map((p) => Math.max(p[1], p[3])), ...l.serverActive.map((p) => p[1]), 1);
  const x = linear([0, end], [f.left, f.width - f.right]);
  const y = linear([0, top], [f.height - f.bottom, f.top]);
  const line = (cls: string, values: Array<[number, number]>) => `<polyline class="${cls}" points="${values.map(([t, v]) => `${x(t)},${y(v)}`).join(' ')}"/>`;
  const parts = [xAxis(f, x, ticks(end), ms), yAxis(f, y, ticks(top, 4), fmt)];
  parts.push(
    line(
      'open',
      pts.map((p) => [p[0], p[1]]),
    ),
    line(
      'failed',
      pts.map((p) => [p[0], p[3]]),
    ),
  );
  for (const [t, v] of l.serverActive) parts.push(`<circle class="gauge" cx="${x(t)}" cy="${y(v)}" r="3"><title>server gauge ${v} at ${ms(t)}</title></circle>`);
  const completed = pts.at(-1)?.[2] ?? 0;
  const label = `streams over time: up to ${Math.max(0, ...pts.map((p) => p[1]))} open of ${l.connections}`;
  return `<figure class="over-time"><figcaption><b>streams over time</b> — ${l.connections} slots, ${completed} answers completed, ${pts.at(-1)?.[3] ?? 0} failed (one point per ${fmt(l.overTime.stepMs)} ms)</figcaption>
${svg(f, 'chart', label, parts.join(''))}
${legend([
  ['#3182ce', 'open streams (client)'],
  ['#dd6b20', "server's active-streams gauge (scrapes)"],
  ['#c53030', 'failed streams so far'],
])}</figure>`;
}
