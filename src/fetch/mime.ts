/**
 * MIME types as Fetch reads them (WHATWG MIME Sniffing `#parse-a-mime-type`, Fetch
 * `#concept-header-extract-mime-type`), far enough to get the essence: `type/subtype`, lower-cased.
 */
import { isToken, normalizeValue } from './headers.js';

/** `#parse-a-mime-type` of one value, far enough to get the essence, or null (failure). */
export function mimeEssence(value: string): string | null {
  const input = normalizeValue(value);
  const slash = input.indexOf('/');
  if (slash <= 0) return null;
  const type = input.slice(0, slash);
  const rest = input.slice(slash + 1);
  const semi = rest.indexOf(';');
  const subtype = (semi === -1 ? rest : rest.slice(0, semi)).replace(/[\t\n\r ]+$/, '');
  if (!isToken(type) || !isToken(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

/**
 * Fetch "extract a MIME type" from a response's Content-Type (repeated lines combined with ", "),
 * as a browser does for a response: of the comma-separated values, the last one that parses and is
 * not the wildcard `*` type and subtype; undefined when none does (or there is no header).
 */
export function extractMimeEssence(combined: string | undefined): string | undefined {
  if (combined === undefined) return undefined;
  let essence: string | undefined;
  for (const part of combined.split(',')) {
    const parsed = mimeEssence(part);
    if (parsed !== null && parsed !== '*/*') essence = parsed;
  }
  return essence;
}
