/** Which response headers a page can read after the CORS check (R-EXP-1, R-EXP-2). */
import type { RawHeaders } from '../http/types.js';
import { corsCheck, isCredentialed } from './cors-check.js';
import { lineValues, parseTokenList } from './headers.js';
import type { BrowserRequest } from './request.js';
import { SECTION } from './verdict.js';

/** `#cors-safelisted-response-header-name`: readable without Access-Control-Expose-Headers. */
export const SAFELISTED_RESPONSE_HEADERS = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];
/** `#forbidden-response-header-name`: never exposed, whatever the server says. */
const FORBIDDEN_RESPONSE_HEADERS = ['set-cookie', 'set-cookie2'];

export interface Exposure {
  /** Header names present in the response that the page can read. */
  readable: string[];
  /** Header names present that stay hidden from the page. */
  hidden: string[];
  /** `Access-Control-Expose-Headers: *` counted as a wildcard (only without credentials). */
  exposeAll: boolean;
  /** Of `req.readsHeaders`, those the page cannot read. */
  missing: string[];
  rule: string;
  reason: string;
}

export function exposedHeaders(req: BrowserRequest, raw: RawHeaders, status = 200): Exposure {
  const present = [...new Set(raw.map(([name]) => String(name).trim().toLowerCase()))];
  const wanted = (req.readsHeaders ?? []).map((n) => n.toLowerCase());
  const check = corsCheck(req, status, raw);
  if (!check.allowed) {
    return {
      readable: [],
      hidden: present,
      exposeAll: false,
      missing: wanted,
      rule: check.rule,
      reason: `CORS check fails: ${check.reason}`,
    };
  }
  // `#main-fetch`: a list that fails to parse exposes nothing beyond the safelist.
  const parsed = parseTokenList(lineValues(raw, 'access-control-expose-headers'));
  const listed = parsed.ok ? parsed.items.map((n) => n.toLowerCase()) : [];
  const exposeAll = !isCredentialed(req) && listed.includes('*');
  const canRead = (name: string): boolean => !FORBIDDEN_RESPONSE_HEADERS.includes(name) && (exposeAll || SAFELISTED_RESPONSE_HEADERS.includes(name) || listed.includes(name));
  const reason = !parsed.ok
    ? `Access-Control-Expose-Headers is not a list of names ("${parsed.bad}"): only safelisted headers are readable`
    : exposeAll
      ? '`*` exposes every header (no credentials)'
      : listed.includes('*')
        ? 'with credentials `*` in Access-Control-Expose-Headers is a literal name, not a wildcard'
        : 'safelisted headers plus Access-Control-Expose-Headers';
  return {
    readable: present.filter(canRead),
    hidden: present.filter((n) => !canRead(n)),
    exposeAll,
    missing: wanted.filter((n) => !canRead(n)),
    rule: SECTION.exposed,
    reason,
  };
}
