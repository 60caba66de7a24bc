import { UsageError } from '../core/errors.js';
import type { Override } from '../config/load.js';
import type { PaceFlags } from '../server/pace.js';

/** A flag that sets a config value; `flags` is commander syntax. Data only, so `--help` stays cheap. */
export interface ConfigFlag {
  flags: string;
  description: string;
  /** Config path the value lands at. */
  path: string[];
  kind?: 'string' | 'int' | 'number' | 'boolean' | 'list' | 'header';
  /** Commands that accept it; absent = every command (a global option). */
  commands?: string[];
}

export const CONFIG_FLAGS: ConfigFlag[] = [
  { flags: '--gateway <url>', description: 'gateway base URL (env ZANTARA_GATEWAY_URL)', path: ['targets', 'gateway', 'url'] },
  { flags: '--rag <url>', description: 'RAG backend base URL (env ZANTARA_RAG_URL)', path: ['targets', 'rag', 'url'] },
  { flags: '--origin <origin>', description: "the web app's origin (env ZANTARA_ORIGIN)", path: ['origin'] },
  { flags: '--timeout <ms>', description: 'deadline per request in ms (default 10000)', path: ['timeoutMs'], kind: 'int' },
  { flags: '--retries <n>', description: 'retry transport failures (refused, reset, timeout) n times; never a failed check (default 0)', path: ['retries'], kind: 'int' },
  { flags: '--header <line>', description: 'extra request header "Name: value", repeatable; values are redacted everywhere', path: ['headers'], kind: 'header' },
  { flags: '--skip <id>', description: 'waive a check by id or id prefix, repeatable', path: ['skip'], kind: 'list' },
  { flags: '--strict', description: 'warnings fail the run (exit 1)', path: ['strict'], kind: 'boolean' },
  { flags: '--ca <file>', description: 'PEM file of a CA to trust for https targets', path: ['ca'] },
  { flags: '--html <file>', description: 'also write a self-contained HTML report (verdict, findings, stream timeline, load charts)', path: ['report', 'html'] },
  { flags: '--json-file <file>', description: 'also write the JSON report to a file', path: ['report', 'json'] },
  { flags: '--junit <file>', description: 'also write a JUnit XML report', path: ['report', 'junit'] },
  { flags: '--connections <n>', description: 'concurrent answer streams to hold (default 100)', path: ['load', 'connections'], kind: 'int', commands: ['load'] },
  {
    flags: '--ramp <ms>',
    description: 'start the streams evenly over this many ms; with --rate, raise the rate linearly over it (default 1000)',
    path: ['load', 'rampMs'],
    kind: 'int',
    commands: ['load'],
  },
  {
    flags: '--rate <n>',
    description: 'open loop: start n streams per second whatever earlier ones do (default: closed loop over --connections)',
    path: ['load', 'rate'],
    kind: 'number',
    commands: ['load'],
  },
  { flags: '--arrival <kind>', description: 'open loop: poisson (default) or constant arrivals', path: ['load', 'arrival'], commands: ['load'] },
  { flags: '--seed <n>', description: 'open loop: seed of the arrival schedule (default 1)', path: ['load', 'seed'], kind: 'int', commands: ['load'] },
  {
    flags: '--duration <s>',
    description: 'seconds during which streams are (re)opened (default 10); open ones then get load.graceMs to finish',
    path: ['load', 'durationS'],
    kind: 'int',
    commands: ['load'],
  },
  { flags: '--query <text>', description: 'the question each stream asks (default "hello")', path: ['load', 'query'], commands: ['load'] },
  {
    flags: '--api-path <path>',
    description: "path of the app's gateway API call, which the browser preflights (default /api/chat)",
    path: ['cors', 'apiPath'],
    commands: ['preflight', 'headers', 'audit', 'browser'],
  },
  { flags: '--query <text>', description: 'the question asked on the answer stream (default "hello")', path: ['stream', 'query'], commands: ['stream', 'audit'] },
  {
    flags: '--stream-timeout <ms>',
    description: 'deadline for reading one answer stream in ms (default 30000); a stream still open then ends as "deadline"',
    path: ['stream', 'timeoutMs'],
    kind: 'int',
    commands: ['stream', 'audit'],
  },
  {
    flags: '--transport <kind>',
    description: 'how the app opens the answer stream: eventsource (default) or fetch (stream.method/body/headers/credentials/format)',
    path: ['stream', 'transport'],
    commands: ['stream', 'audit', 'preflight', 'headers', 'browser', 'load'],
  },
  {
    flags: '--stream-format <format>',
    description: 'framing a fetch() stream is read in: sse (default) or ndjson',
    path: ['stream', 'format'],
    commands: ['stream', 'audit', 'preflight', 'headers', 'browser', 'load'],
  },
  {
    flags: '--listen <host:port>',
    description: 'address to serve /probe, /metrics and / on (default 127.0.0.1:9464; port 0: a free port)',
    path: ['exporter', 'listen'],
    commands: ['exporter'],
  },
  {
    flags: '--log-dir <dir>',
    description: 'directory for one audit log per probe, rotated by exporter.log.maxFiles/maxBytes (default: a new private dir under the OS temp dir)',
    path: ['exporter', 'log', 'dir'],
    commands: ['exporter'],
  },
  {
    flags: '--metrics-listen <host:port>',
    description: 'serve the live load figures for Prometheus at http://<host:port>/metrics while the load runs',
    path: ['load', 'metricsListen'],
    commands: ['load'],
  },
  { flags: '--stream-path <path>', description: 'path of the answer stream on the RAG (default /bali-zero/chat-stream)', path: ['stream', 'path'], commands: ['stream', 'audit'] },
];

export type FlagValues = Record<string, unknown>;

/** commander's attribute name for a flag: `--api-path <p>` → `apiPath`. */
export function attributeName(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? '';
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function flagName(flags: string): string {
  return /--[a-z0-9-]+/.exec(flags)?.[0] ?? flags;
}

export function parseInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  return Number(value);
}

export function parseNumber(flag: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new UsageError(`${flag}: expected a number such as 50 or 2.5, got "${value}"`);
  return Number(value);
}

export function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    // Never echo the value: it is usually a secret.
    throw new UsageError(`--header: expected "Name: value", got a value without a valid "Name:" part`, 'e.g. --header "Authorization: Bearer $TOKEN"');
  }
  return [name, line.slice(colon + 1).trim()];
}

/** Turn the flags commander parsed into config overrides, each tagged with its flag for error messages. */
export function overridesFromFlags(values: FlagValues, command: string): Override[] {
  const out: Override[] = [];
  for (const spec of CONFIG_FLAGS) {
    if (spec.commands && !spec.commands.includes(command)) continue;
    const raw = values[attributeName(spec.flags)];
    if (raw === undefined) continue;
    const flag = flagName(spec.flags);
    const source = `flag ${flag}`;
    const kind = spec.kind ?? 'string';
    if (kind === 'int') out.push({ path: spec.path, value: parseInteger(flag, String(raw)), source });
    else if (kind === 'number') out.push({ path: spec.path, value: parseNumber(flag, String(raw)), source });
    else if (kind === 'list') out.push({ path: spec.path, value: raw as string[], source, merge: true });
    else if (kind === 'header') out.push({ path: spec.path, value: Object.fromEntries((raw as string[]).map(parseHeader)), source, merge: true });
    else out.push({ path: spec.path, value: raw, source });
  }
  return out;
}

/** Every flag a checking command may get: the config flags above plus the session's own. */
export interface SessionFlags extends FlagValues, PaceFlags {
  config?: string;
  local?: boolean;
  fault?: string[];
  json?: boolean;
  log?: string | boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}
