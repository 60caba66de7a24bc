/**
 * Judging a CORS-preflight response (`#cors-preflight-fetch-0` step 7). Each aspect is a Verdict
 * of its own so a report can name every problem at once; `preflightCheck` gives the browser's
 * single answer, in the order Chromium reports it.
 */
import type { RawHeaders } from '../http/types.js';
import { checkAllowCredentials, checkAllowOrigin, isCredentialed } from './cors-check.js';
import { lineValues, parseTokenList } from './headers.js';
import { type MaxAge, parseMaxAge } from './max-age.js';
import { type BrowserRequest, isCrossOrigin, isSafelistedMethod, normalizeMethod, preflightNeeded } from './request.js';
import { type Evidence, SECTION, type Verdict, allow, asPreflightError, block } from './verdict.js';

const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';

/** Step 7 "ok status"; no redirect handling for preflights (R-PF-1). */
export function checkPreflightStatus(status: number): Verdict {
  const evidence: Evidence = { status };
  if (status >= 200 && status <= 299) return allow(SECTION.okStatus, 'R-PF-1', `${status} is an ok status`, evidence);
  const remedy = 'HTTP/1.1 204 No Content (answer OPTIONS in the CORS middleware, before authentication, routing and redirects)';
  if (status >= 300 && status <= 399) {
    return block(SECTION.preflight, 'R-PF-1', `${status} redirect: a preflight is never redirected, so it fails`, {
      chromiumError: 'PreflightDisallowedRedirect',
      remedy,
      evidence,
    });
  }
  const auth = status === 401 || status === 403 ? ' (a preflight never carries cookies or Authorization, R-REQ-5)' : '';
  return block(SECTION.preflight, 'R-PF-1', `${status} is not an ok status (200-299)${auth}`, {
    chromiumError: 'PreflightInvalidStatus',
    remedy,
    evidence,
  });
}

/** Step 7.3 and 7.5: methods are case-sensitive tokens; `*` is a wildcard only without credentials. */
export function checkAllowMethods(req: BrowserRequest, raw: RawHeaders): Verdict {
  const method = normalizeMethod(req.method);
  const lines = lineValues(raw, ACAM);
  const evidence: Evidence = { method, credentials: req.credentials, [ACAM]: lines };
  const parsed = parseTokenList(lines);
  if (!parsed.ok) {
    return block(SECTION.preflight, 'R-PF-10', `Access-Control-Allow-Methods is not a comma list of method tokens ("${parsed.bad}")`, {
      chromiumError: 'InvalidAllowMethodsPreflightResponse',
      remedy: `Access-Control-Allow-Methods: ${method}`,
      evidence,
    });
  }
  const methods = parsed.items;
  if (methods.includes(method)) return allow(SECTION.preflight, 'R-PF-4', `${method} is listed`, evidence);
  if (isSafelistedMethod(method)) return allow(SECTION.preflight, 'R-PF-3', `${method} is CORS-safelisted and needs no Access-Control-Allow-Methods`, evidence);
  const star = methods.includes('*');
  if (star && !isCredentialed(req)) return allow(SECTION.preflight, 'R-PF-5', '`*` allows any method for a request without credentials', evidence);
  const wrongCase = methods.find((m) => m.toLowerCase() === method.toLowerCase());
  const reason = star
    ? `with credentials \`*\` is the literal method name "*", so ${method} is not allowed`
    : wrongCase
      ? `"${wrongCase}" does not allow ${method}: method names are compared case-sensitively`
      : `${method} is not in Access-Control-Allow-Methods`;
  const keep = methods.filter((m) => m !== '*' && m !== wrongCase);
  return block(SECTION.preflight, star ? 'R-PF-5' : 'R-PF-4', reason, {
    chromiumError: 'MethodDisallowedByPreflightResponse',
    remedy: `Access-Control-Allow-Methods: ${[...keep, method].join(', ')}`,
    evidence,
  });
}

/** Steps 7.3, 7.6 and 7.7: header names case-insensitive; `*` never covers Authorization. */
export function checkAllowHeaders(req: BrowserRequest, raw: RawHeaders): Verdict {
  const unsafe = preflightNeeded(req).unsafeHeaderNames;
  const lines = lineValues(raw, ACAH);
  const evidence: Evidence = { requestHeaders: unsafe, credentials: req.credentials, [ACAH]: lines };
  const parsed = parseTokenList(lines);
  const wanted = `Access-Control-Allow-Headers: ${unsafe.join(', ') || '<none needed>'}`;
  if (!parsed.ok) {
    return block(SECTION.preflight, 'R-PF-10', `Access-Control-Allow-Headers is not a comma list of header names ("${parsed.bad}")`, {
      chromiumError: 'InvalidAllowHeadersPreflightResponse',
      remedy: wanted,
      evidence,
    });
  }
  const names = parsed.items.map((n) => n.toLowerCase());
  const star = names.includes('*');
  const cred = isCredentialed(req);
  // `authorization` is the CORS non-wildcard request-header name (step 7.6).
  const missing = unsafe.filter((n) => !names.includes(n) && (n === 'authorization' || cred || !star));
  if (missing.length === 0) {
    const how =
      unsafe.length === 0 ? 'no CORS-unsafe request headers to allow' : star && !cred ? `${unsafe.join(', ')} covered (\`*\` without credentials)` : `${unsafe.join(', ')} listed`;
    return allow(SECTION.preflight, star && !cred ? 'R-PF-7' : 'R-PF-6', how, evidence);
  }
  const ref = star && missing.includes('authorization') ? 'R-PF-8' : star && cred ? 'R-PF-9' : 'R-PF-6';
  const why = ref === 'R-PF-8' ? '`*` never covers authorization' : ref === 'R-PF-9' ? 'with credentials `*` is a literal name, not a wildcard' : 'not listed';
  const keep = [...new Set([...names.filter((n) => n !== '*'), ...unsafe])];
  return block(SECTION.preflight, ref, `request header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not allowed: ${why}`, {
    chromiumError: 'HeaderDisallowedByPreflightResponse',
    remedy: `Access-Control-Allow-Headers: ${keep.join(', ')}`,
    evidence,
  });
}

export interface PreflightAspects {
  status: Verdict;
  allowOrigin: Verdict;
  allowCredentials: Verdict;
  allowMethods: Verdict;
  allowHeaders: Verdict;
  maxAge: MaxAge;
}

/** The CORS check on a preflight uses the actual request's credentials mode (R-PF-2). */
function asPreflight(v: Verdict): Verdict {
  const name = asPreflightError(v.chromiumError);
  return name ? { ...v, chromiumError: name } : v;
}

export function preflightAspects(req: BrowserRequest, status: number, raw: RawHeaders): PreflightAspects {
  return {
    status: checkPreflightStatus(status),
    allowOrigin: asPreflight(checkAllowOrigin(req, raw)),
    allowCredentials: asPreflight(checkAllowCredentials(req, raw)),
    allowMethods: checkAllowMethods(req, raw),
    allowHeaders: checkAllowHeaders(req, raw),
    maxAge: parseMaxAge(raw),
  };
}

/** The browser's one answer to a preflight, in Chromium's order (redirect, CORS check, status, lists). */
export function preflightCheck(req: BrowserRequest, status: number, raw: RawHeaders): Verdict {
  if (!isCrossOrigin(req)) return allow(SECTION.sameOrigin, 'R-REQ-1', 'same-origin request: no preflight');
  const a = preflightAspects(req, status, raw);
  const redirect = status >= 300 && status <= 399 ? a.status : null;
  const invalidList = [a.allowMethods, a.allowHeaders].filter((v) => v.ref === 'R-PF-10');
  const order = [redirect, a.allowOrigin, a.allowCredentials, a.status, ...invalidList, a.allowMethods, a.allowHeaders];
  const evidence: Evidence = {
    ...a.status.evidence,
    ...a.allowOrigin.evidence,
    ...a.allowCredentials.evidence,
    ...a.allowMethods.evidence,
    ...a.allowHeaders.evidence,
  };
  const failed = order.find((v) => v !== null && !v.allowed);
  if (failed) return { ...failed, evidence };
  return allow(SECTION.preflight, 'R-PF-2', `preflight passes; cached ${a.maxAge.chromiumSeconds}s in Chromium (${a.maxAge.reason})`, {
    ...evidence,
    maxAgeSeconds: a.maxAge.seconds,
  });
}
