/**
 * How fast the reference answer is generated, like a model: metadata at once (retrieval done),
 * the first token after a time to first token, then one event per token interval, each interval
 * moved by a uniform jitter. The defaults are a hosted chat model's (~0.5 s to the first token,
 * ~20 tokens/s): with them an answer takes ~3 s, so `load --connections 2000` holds 2000 streams
 * that each reconnect every few seconds, as real readers do, not thousands of times a second.
 */
export interface Pace {
  /** Request to the first token event, ms (the metadata event is sent at once). */
  ttftMs: number;
  /** Between two events after the first token, ms. */
  tokenIntervalMs: number;
  /** Each interval is moved by a uniform amount in [-jitter, +jitter] ms (never below 0). */
  jitterMs: number;
}

export const DEFAULT_PACE: Pace = { ttftMs: 500, tokenIntervalMs: 50, jitterMs: 15 };

/** Faults that change the pace, with their default values in ms. */
export const SLOW_FIRST_TOKEN_MS = 3000;
export const STALL_MS = 2000;

/** Per-stream jitter source: a 32-bit xorshift, so a stream's pace is reproducible from its seed and costs one number. */
export function nextSeed(seed: number): number {
  let x = seed | 0 || 0x9e3779b9;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}

/** The interval after a seed step: tokenInterval ± jitter, whole ms, at least 0. */
export function jittered(pace: Pace, seed: number): number {
  if (pace.jitterMs === 0) return pace.tokenIntervalMs;
  const unit = (seed >>> 0) / 0xffffffff; // [0, 1]
  return Math.max(0, Math.round(pace.tokenIntervalMs + (unit * 2 - 1) * pace.jitterMs));
}

/** The pace flags as commander hands them over (strings), shared by `serve` and every `--local` command. */
export interface PaceFlags {
  ttft?: string;
  tokenInterval?: string;
  jitter?: string;
}

const PACE_FLAGS = [
  ['ttft', '--ttft', 'ttftMs'],
  ['tokenInterval', '--token-interval', 'tokenIntervalMs'],
  ['jitter', '--jitter', 'jitterMs'],
] as const;

/** A minute: a longer pause is a stall, which fault `stalls` models. */
const MAX_PACE_MS = 60_000;

/** The pace the flags set (unset ones stay unset); a bad value is a one-line usage error. */
export function paceFromFlags(flags: PaceFlags, fail: (message: string) => Error): Partial<Pace> {
  const pace: Partial<Pace> = {};
  for (const [key, flag, field] of PACE_FLAGS) {
    const value = flags[key];
    if (value === undefined) continue;
    if (!/^\d+$/.test(value.trim()) || Number(value) > MAX_PACE_MS) throw fail(`${flag}: expected a whole number of ms from 0 to ${MAX_PACE_MS}, got "${value}"`);
    pace[field] = Number(value);
  }
  return pace;
}

/** The same flags again, for the `serve` child of a `--local` run. */
export function paceArgs(pace: Partial<Pace>): string[] {
  return PACE_FLAGS.flatMap(([, flag, field]) => (pace[field] === undefined ? [] : [flag, String(pace[field])]));
}

export const PACE_HELP = `Pace of the reference answer (serve, and any command with --local): metadata at once, the first token after
--ttft (default ${DEFAULT_PACE.ttftMs} ms), then one event every --token-interval (default ${DEFAULT_PACE.tokenIntervalMs} ms) +- --jitter
(default ${DEFAULT_PACE.jitterMs} ms): the 64 events of the reference answer take ~3.7 s. Every event's JSON ends with "t": its generation time in ms since the
epoch (a float), for measuring time to first token and inter-token latency against it.`;
