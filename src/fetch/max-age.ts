/** `Access-Control-Max-Age`: how long a passing preflight is reused (R-CACHE-1, R-CACHE-2). */
import type { RawHeaders } from '../http/types.js';
import { lineValues } from './headers.js';

/** `#cors-preflight-fetch-0` step 7.9: absent or failure means 5 seconds. */
export const DEFAULT_MAX_AGE = 5;
/** Chromium `kMaxTimeout = base::Hours(2)` in preflight_result.cc. */
export const CHROMIUM_MAX_AGE_CAP = 7200;
/** Firefox's cap, per MDN. */
export const FIREFOX_MAX_AGE_CAP = 86400;

export interface MaxAge {
  /** The header as received (lines joined), or null when absent. */
  value: string | null;
  /** A single `delta-seconds` line (`#http-new-header-syntax`). */
  valid: boolean;
  /** Effective seconds by the standard, before a browser's cap. */
  seconds: number;
  chromiumSeconds: number;
  firefoxSeconds: number;
  reason: string;
}

export function parseMaxAge(raw: RawHeaders): MaxAge {
  const lines = lineValues(raw, 'access-control-max-age');
  const value = lines.length === 0 ? null : lines.join(', ');
  const fallback = (reason: string, chromiumSeconds = DEFAULT_MAX_AGE): MaxAge => ({
    value,
    valid: false,
    seconds: DEFAULT_MAX_AGE,
    chromiumSeconds,
    firefoxSeconds: DEFAULT_MAX_AGE,
    reason,
  });
  if (value === null) return fallback('absent: the preflight is reused for 5 s only');
  if (lines.length > 1) return fallback(`${lines.length} lines ("${value}"): invalid, 5 s`);
  // Chromium reads a negative number as "do not cache"; the standard calls it invalid (5 s).
  if (/^-\d+$/.test(value)) return fallback(`"${value}" is negative: invalid (5 s), Chromium does not cache`, 0);
  if (!/^\d+$/.test(value)) return fallback(`"${value}" is not delta-seconds: invalid, 5 s`);
  const seconds = Number(value);
  const chromiumSeconds = Math.min(seconds, CHROMIUM_MAX_AGE_CAP);
  const capped = seconds > CHROMIUM_MAX_AGE_CAP ? `, capped to ${CHROMIUM_MAX_AGE_CAP} s in Chromium` : '';
  return {
    value,
    valid: true,
    seconds,
    chromiumSeconds,
    firefoxSeconds: Math.min(seconds, FIREFOX_MAX_AGE_CAP),
    reason: `${seconds} s${capped}`,
  };
}
