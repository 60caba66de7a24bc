/**
 * The answer stream's timeline as inline SVG: the events received so far (a step line: a burst is
 * a cliff), each event as a tick at its arrival, and — when the server stamps events — a tick at
 * its generation time joined to its arrival, so time held by a proxy is a slanted line.
 */
import type { StreamTimeline, TimelineMark } from '../../core/attachments.js';
import { esc, fmt, legend, linear, ms, svg, ticks, xAxis, yAxis, type Frame } from './svg.js';

const KIND_COLORS: Record<string, string> = { token: '#2b6cb0', delta: '#2b6cb0', metadata: '#718096', sources: '#805ad5', done: '#2f855a', error: '#c53030' };
const color = (kind: string) => KIND_COLORS[kind] ?? '#dd6b20';

export function renderTimeline(t: StreamTimeline): string {
  const stamped = t.marks.some((m) => m.generatedAtMs !== undefined);
  const f: Frame = { width: 900, height: stamped ? 270 : 230, left: 56, right: 16, top: 14, bottom: 30 };
  const last = t.marks.at(-1)?.atMs ?? 0;
  const span = Math.max(t.end.atMs, last, ...t.marks.map((m) => m.generatedAtMs ?? 0), 1);
  const x = linear([0, span], [f.left, f.width - f.right]);
  const plotBottom = 124;
  const y = linear([0, Math.max(t.marks.length, 1)], [plotBottom, f.top]);
  const arrivedRow = 146;
  const generatedRow = 194;
  const parts = [xAxis(f, x, ticks(span), (v) => ms(v)), yAxis({ ...f, height: plotBottom + f.bottom }, y, ticks(Math.max(t.marks.length, 1), 4), fmt)];
  parts.push(`<polyline class="cumulative" points="${cumulative(t.marks, x, y)}"/>`);
  parts.push(`<text x="${f.left + 4}" y="${arrivedRow - 4}" class="row">arrived</text>`);
  parts.push(...marker(x, f, t.headersAtMs, 'headers'), ...marker(x, f, t.end.atMs, `end: ${t.end.reason}`));
  t.marks.forEach((m, i) => {
    const title = `<title>#${i} ${esc(m.kind)} arrived at ${ms(m.atMs)}${m.generatedAtMs !== undefined ? `, generated at ${ms(m.generatedAtMs)}` : ''} (read ${m.chunk})</title>`;
    parts.push(`<line class="mark" x1="${x(m.atMs)}" x2="${x(m.atMs)}" y1="${arrivedRow}" y2="${arrivedRow + 24}" stroke="${color(m.kind)}">${title}</line>`);
    if (m.generatedAtMs === undefined) return;
    parts.push(`<line class="held" x1="${x(m.generatedAtMs)}" x2="${x(m.atMs)}" y1="${generatedRow}" y2="${arrivedRow + 24}"/>`);
    parts.push(`<line class="mark" x1="${x(m.generatedAtMs)}" x2="${x(m.generatedAtMs)}" y1="${generatedRow}" y2="${generatedRow + 24}" stroke="${color(m.kind)}">${title}</line>`);
  });
  if (stamped) parts.push(`<text x="${f.left + 4}" y="${generatedRow + 38}" class="row">generated (server stamp)</text>`);
  const kinds = [...new Set(t.marks.map((m) => m.kind))];
  const label = `answer stream timeline: ${t.events} events over ${ms(span)}`;
  return `<figure class="timeline" data-purpose="${esc(t.purpose)}">
<figcaption><b>${esc(t.purpose)}</b> <code>${esc(t.url)}</code></figcaption>
${svg(f, 'chart timeline-chart', label, parts.join(''))}
${legend([...kinds.map((k): [string, string] => [color(k), k]), ['#1a202c', 'events received so far']])}
<p class="facts">${facts(t)}</p>
</figure>`;
}

/** Cumulative events as a step line: flat while nothing arrives, a cliff when a burst does. */
function cumulative(marks: readonly TimelineMark[], x: (v: number) => number, y: (v: number) => number): string {
  const pts: string[] = [`${x(0)},${y(0)}`];
  for (const [i, m] of marks.entries()) pts.push(`${x(m.atMs)},${y(i)}`, `${x(m.atMs)},${y(i + 1)}`);
  return pts.join(' ');
}

function marker(x: (v: number) => number, f: Frame, at: number | null, label: string): string[] {
  if (at === null) return [];
  // Near the right edge the label goes on the left of its line.
  const right = x(at) > f.width - f.right - 120;
  const text = `<text class="marker-label" x="${x(at) + (right ? -3 : 3)}" y="${f.top + 8}" text-anchor="${right ? 'end' : 'start'}">${esc(label)}</text>`;
  return [`<line class="marker" x1="${x(at)}" x2="${x(at)}" y1="${f.top}" y2="${f.height - f.bottom}"/>`, text];
}

function facts(t: StreamTimeline): string {
  const first = t.marks[0];
  const last = t.marks.at(-1);
  const reads = new Set(t.marks.map((m) => m.chunk)).size;
  const items = [
    `${t.events} events${t.omitted ? ` (${t.omitted} in the middle not drawn)` : ''} in ${reads} reads`,
    `headers at ${t.headersAtMs === null ? 'n/a' : ms(t.headersAtMs)}`,
    first ? `first event at ${ms(first.atMs)}` : 'no event',
    last ? `last event at ${ms(last.atMs)}` : '',
    `ended ${esc(t.end.reason)} at ${ms(t.end.atMs)}`,
    `${t.comments} comments`,
  ];
  return items.filter(Boolean).join(' · ');
}
