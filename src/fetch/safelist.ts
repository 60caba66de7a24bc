/**
 * Which request headers a page may send cross-origin without a preflight, and which it cannot
 * send at all. Pure and total: any name or value is judged, nothing throws.
 */
import { normalizeValue } from './headers.js';
import { mimeEssence } from './mime.js';

/** `#cors-unsafe-request-header-byte`: CTLs except HT, `"():<>?@[\]{}` and DEL. */
const UNSAFE_BYTE = /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/;
/** `#cors-safelisted-request-header`: bytes allowed in Accept-Language / Content-Language. */
const LANGUAGE_BYTES = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** `#cors-safelisted-request-header` step 1. */
export const SAFELISTED_VALUE_MAX = 128;
/** `#cors-unsafe-request-header-names` step 3. */
export const SAFELISTED_TOTAL_MAX = 1024;

const FORBIDDEN_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);
const FORBIDDEN_METHODS = new Set(['connect', 'trace', 'track']);

/**
 * `#forbidden-request-header`: the browser silently drops these from author headers, so they
 * never reach the server and never trigger a preflight.
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_NAMES.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (!METHOD_OVERRIDE_NAMES.has(lower)) return false;
  return value.split(',').some((m) => FORBIDDEN_METHODS.has(normalizeValue(m).toLowerCase()));
}

/** `#simple-range-header-value` without whitespace; a suffix range (`bytes=-500`) is not safelisted. */
function isSafelistedRange(value: string): boolean {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value);
  if (!m || m[1] === '') return false;
  return m[2] === '' || Number(m[1]) <= Number(m[2]);
}

/** Why a header is not CORS-safelisted, or null when it is (`#cors-safelisted-request-header`). */
export function unsafeReason(name: string, rawValue: string): string | null {
  const value = normalizeValue(rawValue);
  const lower = name.toLowerCase();
  const kind = ['accept', 'accept-language', 'content-language', 'content-type', 'range'];
  if (!kind.includes(lower)) return `${lower} is not a CORS-safelisted request-header name`;
  if (value.length > SAFELISTED_VALUE_MAX) return `${lower} value is longer than ${SAFELISTED_VALUE_MAX} bytes`;
  if ((lower === 'accept' || lower === 'content-type') && UNSAFE_BYTE.test(value)) {
    return `${lower} value contains a CORS-unsafe request-header byte`;
  }
  if ((lower === 'accept-language' || lower === 'content-language') && !LANGUAGE_BYTES.test(value)) {
    return `${lower} value contains a byte outside 0-9 A-Z a-z space * , - . ; =`;
  }
  if (lower === 'content-type') {
    const essence = mimeEssence(value);
    if (essence === null || !SAFELISTED_CONTENT_TYPES.includes(essence)) {
      return `content-type ${essence ?? JSON.stringify(value)} is not one of ${SAFELISTED_CONTENT_TYPES.join(', ')}`;
    }
  }
  if (lower === 'range' && !isSafelistedRange(value)) return 'range is not a single `bytes=start-[end]` range';
  return null;
}

export interface UnsafeNames {
  /** Sorted, lower-cased, unique: what `Access-Control-Request-Headers` carries. */
  names: string[];
  /** One line per unsafe header saying why. */
  reasons: string[];
}

/** `#cors-unsafe-request-header-names`, including the 1024-byte total rule. */
export function corsUnsafeRequestHeaderNames(headers: ReadonlyArray<[string, string]>): UnsafeNames {
  const unsafe: string[] = [];
  const reasons: string[] = [];
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of headers) {
    const why = unsafeReason(name, value);
    if (why === null) {
      potentiallyUnsafe.push(name);
      safelistValueSize += normalizeValue(value).length;
    } else {
      unsafe.push(name);
      reasons.push(why);
    }
  }
  if (safelistValueSize > SAFELISTED_TOTAL_MAX) {
    unsafe.push(...potentiallyUnsafe);
    reasons.push(`safelisted header values total ${safelistValueSize} bytes (> ${SAFELISTED_TOTAL_MAX}): all become unsafe`);
  }
  // `#convert-header-names-to-a-sorted-lowercase-set`
  const names = [...new Set(unsafe.map((n) => n.toLowerCase()))].sort();
  return { names, reasons };
}
