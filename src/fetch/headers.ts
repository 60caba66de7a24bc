/**
 * Reading response header lines the way Fetch does. Works on raw lines (name, value) so repeated
 * lines stay visible; never throws, whatever the bytes.
 */
import type { RawHeaders } from '../http/types.js';

/** HTTP whitespace (`#http-whitespace-byte`): stripped around values when a header is parsed. */
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** OWS inside a `#` list (RFC 9110 §5.6.1): only SP and HTAB. */
const OWS = /^[\t ]+|[\t ]+$/g;
/** token = 1*tchar (RFC 9110 §5.6.2), the grammar of `method` and `field-name`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function normalizeValue(value: string): string {
  return value.replace(HTTP_WHITESPACE, '');
}

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** The values of every line named `name` (case-insensitive), normalised, in order. */
export function lineValues(raw: RawHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const line of raw) {
    if (String(line[0]).trim().toLowerCase() === wanted) out.push(normalizeValue(String(line[1])));
  }
  return out;
}

/**
 * Fetch's `get` (`#concept-header-list-get`): null when absent, otherwise every line's value
 * joined with ", " — which is why two Access-Control-Allow-Origin lines never match an origin.
 */
export function getCombined(raw: RawHeaders, name: string): string | null {
  const values = lineValues(raw, name);
  return values.length === 0 ? null : values.join(', ');
}

export type ListResult = { ok: true; items: string[] } | { ok: false; bad: string };

/**
 * `#extract-header-list-values` for `#token` lists (ACAM `#method`, ACAH/ACEH `#field-name`):
 * lines concatenate, empty elements are tolerated, any element that is not a token is failure.
 */
export function parseTokenList(values: readonly string[]): ListResult {
  const items: string[] = [];
  for (const value of values) {
    for (const element of value.split(',')) {
      const item = element.replace(OWS, '');
      if (item === '') continue;
      if (!isToken(item)) return { ok: false, bad: item };
      items.push(item);
    }
  }
  return { ok: true, items };
}

/** Whether a `Vary` list names `field` (case-insensitive) or is `*`. */
export function varyIncludes(raw: RawHeaders, field: string): boolean {
  const wanted = field.toLowerCase();
  return lineValues(raw, 'vary')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .some((v) => v === wanted || v === '*');
}
