import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';

export const DEFAULT_CONFIG_FILE = 'zantara-audit.config.json';

/** Environment variables that set config values (flags > env > file > defaults). */
export const ENV_VARS: Record<string, string[]> = {
  ZANTARA_GATEWAY_URL: ['targets', 'gateway', 'url'],
  ZANTARA_RAG_URL: ['targets', 'rag', 'url'],
  ZANTARA_ORIGIN: ['origin'],
};

/** One value set by a command-line flag, already placed at its config path. */
export interface Override {
  path: string[];
  value: unknown;
  /** Shown in errors, e.g. `flag --timeout`. */
  source: string;
  /** Arrays and header maps from flags add to what the file says instead of replacing it. */
  merge?: boolean;
}

export interface LoadOptions {
  configFile?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Override[];
}

export interface LoadedConfig<C> {
  config: C;
  /** Config path ("targets.rag.url") → where its value came from. */
  sources: Map<string, string>;
  file?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flags > env > file > the schema's defaults; the schema is the whole config (src/checks/config.ts composes it). */
export function loadConfig<C>(schema: z.ZodType<C>, options: LoadOptions = {}): LoadedConfig<C> {
  const env = options.env ?? process.env;
  const sources = new Map<string, string>();
  const input: Obj = {};

  const file = locateFile(options.configFile, options.cwd ?? process.cwd());
  if (file) {
    const data = interpolate(readJson(file), file, env, []);
    if (!isObj(data)) throw new UsageError(`config file ${file}: expected a JSON object at the top level`);
    Object.assign(input, data);
    recordSources(data, [], `file ${file}`, sources);
  }
  for (const [name, path] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value !== undefined && value !== '') place(input, path, value, `env ${name}`, sources, false);
  }
  for (const o of options.overrides ?? []) place(input, o.path, o.value, o.source, sources, o.merge ?? false);

  const parsed = schema.safeParse(input);
  if (!parsed.success) throw configError(parsed.error, sources);
  return { config: parsed.data, sources, file };
}

function locateFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  const implicit = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(implicit) ? implicit : undefined;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read config file ${file} (${code})`, 'check the path given to --config and its permissions');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * `${VAR}` in string values comes from the environment; a missing variable is an error, never an
 * empty token, and an empty one counts as missing (as for the ZANTARA_* variables).
 */
function interpolate(value: unknown, file: string, env: NodeJS.ProcessEnv, path: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') {
        throw new UsageError(`config file ${file}: ${path.join('.')} uses \${${name}}, but environment variable ${name} is ${v === '' ? 'empty' : 'not set'}`);
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, file, env, [...path, String(i)]));
  if (isObj(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, file, env, [...path, k])]));
  }
  return value;
}

function recordSources(value: unknown, path: string[], source: string, sources: Map<string, string>): void {
  if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) recordSources(v, [...path, k], source, sources);
  } else if (path.length > 0) {
    sources.set(path.join('.'), source);
  }
}

function place(input: Obj, path: string[], value: unknown, source: string, sources: Map<string, string>, merge: boolean): void {
  let node = input;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined) node[key] = {};
    // A wrong type from the file (`"targets": "x"`) stays, so the schema reports it instead of it vanishing.
    if (!isObj(node[key])) return;
    node = node[key] as Obj;
  }
  const last = path[path.length - 1] as string;
  const current = node[last];
  if (merge && Array.isArray(current) && Array.isArray(value)) node[last] = [...current, ...value];
  else if (merge && isObj(current) && isObj(value)) node[last] = mergeHeaders(current, value, path, sources);
  else node[last] = value;
  recordSources(value, path, source, sources);
  if (!isObj(value)) sources.set(path.join('.'), source);
}

/** Header names are case-insensitive: a flag's `authorization` replaces the file's `Authorization` instead of sending both. */
function mergeHeaders(current: Obj, value: Obj, path: string[], sources: Map<string, string>): Obj {
  const replaced = new Set(Object.keys(value).map((k) => k.toLowerCase()));
  const kept = Object.entries(current).filter(([k]) => {
    if (!replaced.has(k.toLowerCase())) return true;
    sources.delete([...path, k].join('.'));
    return false;
  });
  return { ...Object.fromEntries(kept), ...value };
}

/** One line: the field, where its value came from, and what is expected. */
function configError(error: z.ZodError, sources: Map<string, string>): UsageError {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  if (issue?.code === 'unrecognized_keys') path.push(...issue.keys.slice(0, 1));
  const field = path.join('.') || '(top level)';
  const source = sourceOf(path, sources);
  let message = issue?.message ?? 'invalid value';
  if (issue?.code === 'unrecognized_keys') message = `unknown key "${issue.keys.join('", "')}"`;
  return new UsageError(`config error: ${field}${source ? ` (from ${source})` : ''}: ${message}`, 'run `zantara-audit config check` to see the merged config');
}

function sourceOf(path: string[], sources: Map<string, string>): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = sources.get(path.slice(0, n).join('.'));
    if (hit) return hit;
  }
  return undefined;
}
