/** The few SVG pieces the report's charts share: escaping, scales, axes with round ticks. */

export function esc(text: string): string {
  return text
    .replace(/\u0000/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A number short enough for a label: 3 significant digits at most. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100) return String(Math.round(n));
  return String(Number(n.toPrecision(3)));
}

export const ms = (n: number) => `${fmt(n)} ms`;

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const FRAME: Frame = { width: 900, height: 180, left: 56, right: 16, top: 14, bottom: 30 };

export type Scale = (v: number) => number;

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  return (v) => Math.round((range[0] + ((v - d0) / span) * (range[1] - range[0])) * 10) / 10;
}

export function log(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(Math.max(domain[0], 1e-3));
  const l1 = Math.log10(Math.max(domain[1], domain[0] * 1.01, 1e-3));
  const inner = linear([l0, l1], range);
  return (v) => inner(Math.log10(Math.max(v, 1e-3)));
}

/** Round tick values (1, 2, 5 × 10^k) covering [0, max]. */
export function ticks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 1e6; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** 1, 10, 100… within [min, max] for a log axis; 2 and 5 too when a decade or less is shown. */
export function logTicks(min: number, max: number): number[] {
  const within = (steps: number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(Math.max(min, 1e-3))); 10 ** e <= max * 1.0001; e++) {
      for (const m of steps) if (m * 10 ** e >= min / 1.0001 && m * 10 ** e <= max * 1.0001) out.push(Number((m * 10 ** e).toPrecision(3)));
    }
    return out;
  };
  const decades = within([1]);
  return decades.length >= 3 ? decades : within([1, 2, 5]);
}

export function xAxis(f: Frame, x: Scale, values: number[], label: (v: number) => string): string {
  const y = f.height - f.bottom;
  const marks = values.map(
    (v) => `<line x1="${x(v)}" x2="${x(v)}" y1="${f.top}" y2="${y}" class="grid"/><text x="${x(v)}" y="${y + 16}" text-anchor="middle">${esc(label(v))}</text>`,
  );
  return `<g class="axis"><line x1="${f.left}" x2="${f.width - f.right}" y1="${y}" y2="${y}"/>${marks.join('')}</g>`;
}

export function yAxis(f: Frame, y: Scale, values: number[], label: (v: number) => string): string {
  const marks = values.map(
    (v) =>
      `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${f.left - 6}" y="${y(v) + 4}" text-anchor="end">${esc(label(v))}</text>`,
  );
  return `<g class="axis"><line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}"/>${marks.join('')}</g>`;
}

export function svg(f: Frame, cls: string, label: string, body: string): string {
  return `<svg class="${cls}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${body}</svg>`;
}

export function legend(items: Array<[color: string, label: string]>): string {
  return `<div class="legend">${items.map(([c, l]) => `<span><i style="background:${c}"></i>${esc(l)}</span>`).join('')}</div>`;
}
