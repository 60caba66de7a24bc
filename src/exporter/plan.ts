/**
 * What one `/probe?target=&module=` runs: the top-level config, then the target's settings, then
 * the module's, validated by the same schema as a config file. Every pair is resolved when the
 * exporter starts, so a bad entry is a usage error at start-up, never a 500 at scrape time.
 */
import { configSchema, type Config } from '../checks/config.js';
import { UsageError } from '../core/errors.js';
import { BUILTIN_MODULES, BUILTIN_TIMEOUT_MS, type ExporterModule } from './config.js';

export interface ProbePlan {
  target: string;
  module: string;
  checks: ExporterModule['checks'];
  config: Config;
  timeoutMs: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; anything else (arrays included) replaces. */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

export function modules(config: Config): Record<string, ExporterModule> {
  const builtin = Object.fromEntries(BUILTIN_MODULES.map((m) => [m, { checks: m, timeoutMs: BUILTIN_TIMEOUT_MS[m], skip: [], settings: {} } satisfies ExporterModule]));
  return { ...builtin, ...config.exporter.modules };
}

export function resolvePlan(config: Config, targetName: string, moduleName: string): ProbePlan {
  const target = config.exporter.targets[targetName];
  const mod = modules(config)[moduleName];
  if (!target || !mod) throw new Error(`no such target or module: ${targetName}/${moduleName}`);
  const { exporter: _exporter, ...base } = config;
  let input: Obj = deepMerge(base as Obj, target.settings);
  input = deepMerge(input, mod.settings);
  input = deepMerge(input, {
    targets: { gateway: { url: target.gateway }, rag: { url: target.rag } },
    ...(target.origin ? { origin: target.origin } : {}),
    headers: { ...config.headers, ...target.headers },
    skip: [...config.skip, ...target.skip, ...mod.skip],
  });
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `config error: exporter target "${targetName}" with module "${moduleName}": ${(issue?.path ?? []).join('.') || '(top level)'}: ${issue?.message ?? 'invalid value'}`,
      'check exporter.targets.<name>.settings and exporter.modules.<name>.settings: they take the same keys as the top level of the config',
    );
  }
  return { target: targetName, module: moduleName, checks: mod.checks, config: parsed.data, timeoutMs: mod.timeoutMs ?? BUILTIN_TIMEOUT_MS[mod.checks] };
}

/** Every target × module, resolved once at start-up. */
export function resolveAll(config: Config): Map<string, ProbePlan> {
  const plans = new Map<string, ProbePlan>();
  for (const t of Object.keys(config.exporter.targets)) for (const m of Object.keys(modules(config))) plans.set(planKey(t, m), resolvePlan(config, t, m));
  return plans;
}

export function planKey(target: string, module: string): string {
  return `${target}\u0000${module}`;
}
