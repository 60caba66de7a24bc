/**
 * Reading numbers the server put in its events: how many tokens an event carries (a per-event
 * count or a running total) and when the server generated it (a stamp). Both are off unless
 * configured: a real target's events carry neither by contract.
 */
import { z } from 'zod';
import { splitPath, valueAt, type Json } from './json.js';

export const tokenCounterSchema = z
  .object({
    /** Dotted path of a number in the event's JSON data, e.g. `usage.completion_tokens` or `n`. */
    path: z.string().min(1),
    /** `count`: tokens in this event; `total`: a running total since the start of the answer. */
    mode: z.enum(['count', 'total']).default('count'),
  })
  .strict();

export type TokenCounterConfig = z.output<typeof tokenCounterSchema>;

/** The configured number in one event's parsed data (undefined when missing); `total`: it is a running total. */
export interface TokenCounter {
  read(json: Json | undefined): number | undefined;
  total: boolean;
}

export function compileTokenCounter(cfg: TokenCounterConfig): TokenCounter {
  const path = splitPath(cfg.path);
  return {
    total: cfg.mode === 'total',
    read: (json) => {
      const v = valueAt(json, path);
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
    },
  };
}

/** A generation stamp as epoch milliseconds: a number (ms, fractions allowed) or an ISO-8601 string. */
export type StampReader = (json: Json | undefined) => number | undefined;

export function compileStampReader(path: string): StampReader {
  const keys = splitPath(path);
  return (json) => {
    const v = valueAt(json, keys);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string') {
      const t = Date.parse(v);
      return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
  };
}
