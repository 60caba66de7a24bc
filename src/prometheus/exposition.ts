/**
 * A parser for the Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`, and
 * samples `name{label="value",...} value [timestamp]`. Problems are collected, never thrown,
 * so one odd line from a target cannot hide the rest.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type?: string;
  help?: string;
  samples: Sample[];
}

export interface Exposition {
  families: Map<string, Family>;
  errors: Array<{ line: number; text: string; message: string }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_info'];

export function parseExposition(text: string): Exposition {
  const families = new Map<string, Family>();
  const errors: Exposition['errors'] = [];
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const meta = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (meta) {
        const f = family(meta[2] as string);
        if (meta[1] === 'TYPE') f.type = meta[3];
        else f.help = meta[3];
      }
      return;
    }
    const sample = parseSample(line);
    if (typeof sample === 'string') errors.push({ line: i + 1, text: raw.slice(0, 200), message: sample });
    else family(familyName(sample.name, families)).samples.push(sample);
  });
  return { families, errors };
}

/** `http_requests_total` belongs to a family declared as `http_requests` (histograms, summaries, counters). */
function familyName(name: string, families: Map<string, Family>): string {
  if (families.get(name)?.type) return name;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && families.get(name.slice(0, -suffix.length))?.type) return name.slice(0, -suffix.length);
  }
  return name;
}

function parseSample(line: string): Sample | string {
  const name = NAME.exec(line)?.[0];
  if (!name) return 'expected a metric name';
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    if (typeof parsed === 'string') return parsed;
    Object.assign(labels, parsed.labels);
    rest = rest.slice(parsed.length);
  }
  const valueText = rest.trim().split(/\s+/)[0] ?? '';
  const value = parseValue(valueText);
  if (value === undefined) return `not a sample value: "${valueText}"`;
  return { name, labels, value };
}

/** Go's strconv.ParseFloat, which Prometheus uses, reads Inf/NaN in any case: prom-client writes `Nan`. */
function parseValue(text: string): number | undefined {
  const word = text.toLowerCase();
  if (word === '+inf' || word === 'inf' || word === '+infinity' || word === 'infinity') return Infinity;
  if (word === '-inf' || word === '-infinity') return -Infinity;
  if (word === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function parseLabels(text: string): { labels: Record<string, string>; length: number } | string {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, length: i + 1 };
    const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
    if (!key || text[i + key.length] !== '=' || text[i + key.length + 1] !== '"') return 'malformed label set';
    i += key.length + 2;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
      } else value += text[i++];
    }
    if (i >= text.length) return 'unterminated label value';
    labels[key] = value;
    i++;
  }
}

/** The first sample of a family with all the given labels. */
export function sampleValue(exp: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of exp.families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}

/** The sum of every series of one metric (labels per handler or instance); undefined when none is exposed. */
export function sumSeries(exp: Exposition, name: string): number | undefined {
  let total: number | undefined;
  for (const f of exp.families.values()) for (const s of f.samples) if (s.name === name) total = (total ?? 0) + s.value;
  return total;
}
