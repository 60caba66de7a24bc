/**
 * What `/probe` accepts, decided before anything is sent: a configured target's name (never a
 * URL: the exporter is not an open proxy), a known module, `debug`, and Prometheus's scrape
 * timeout header. Anything else is a one-line reason for a 400. Pure.
 */
export interface ProbeQuery {
  target: string;
  module: string;
  debug: boolean;
  /** From X-Prometheus-Scrape-Timeout-Seconds, in ms; undefined without the header. */
  scrapeTimeoutMs?: number;
}

const PARAMS = ['target', 'module', 'debug'];

export function parseProbeQuery(
  params: URLSearchParams,
  timeoutHeader: string | undefined,
  targets: readonly string[],
  modules: readonly string[],
): ProbeQuery | { error: string } {
  for (const key of new Set(params.keys())) {
    if (!PARAMS.includes(key)) return { error: `unknown parameter "${clip(key)}": /probe takes target, module and debug` };
    if (params.getAll(key).length > 1) return { error: `parameter "${key}" given more than once` };
  }
  const target = params.get('target');
  if (!target) return { error: `missing target: one of ${list(targets)}` };
  if (/[:/]/.test(target))
    return { error: `target "${clip(target)}" is not a configured target name: the exporter probes only the targets named in exporter.targets (${list(targets)}), never a URL` };
  if (!targets.includes(target)) return { error: `unknown target "${clip(target)}": configured are ${list(targets)}` };
  const module = params.get('module');
  if (!module) return { error: `missing module: one of ${list(modules)}` };
  if (!modules.includes(module)) return { error: `unknown module "${clip(module)}": one of ${list(modules)}` };
  const debug = params.get('debug');
  if (debug !== null && debug !== 'true' && debug !== 'false') return { error: `debug must be true or false, got "${clip(debug)}"` };
  let scrapeTimeoutMs: number | undefined;
  if (timeoutHeader !== undefined) {
    const s = Number(timeoutHeader);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(timeoutHeader) || !(s > 0))
      return { error: `X-Prometheus-Scrape-Timeout-Seconds: expected a positive number of seconds, got "${clip(timeoutHeader)}"` };
    scrapeTimeoutMs = s * 1000;
  }
  return { target, module, debug: debug === 'true', ...(scrapeTimeoutMs !== undefined ? { scrapeTimeoutMs } : {}) };
}

/**
 * The probe's deadline: the module's, cut to end `marginMs` before Prometheus gives up; never
 * below a floor at which no check could run (then the module's deadline cannot be met either,
 * and the probe says so with run.deadline).
 */
export function probeDeadlineMs(moduleMs: number, scrapeTimeoutMs: number | undefined, marginMs: number): number {
  if (scrapeTimeoutMs === undefined) return moduleMs;
  return Math.max(100, Math.min(moduleMs, Math.round(scrapeTimeoutMs - marginMs)));
}

function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : '(none configured)';
}

/** Echo at most a little of what a client sent, on one line. */
function clip(text: string): string {
  const one = text.replace(/[\r\n\t]/g, ' ');
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}
