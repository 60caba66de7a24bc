/**
 * The CORS check (`#cors-check`), run on every response of a CORS request — preflight, 2xx,
 * redirects and errors alike. Split into its two halves so each can be reported on its own.
 */
import type { RawHeaders } from '../http/types.js';
import { getCombined, lineValues } from './headers.js';
import { type BrowserRequest, isCrossOrigin, serializeOrigin } from './request.js';
import { type ChromiumCorsError, type Evidence, SECTION, type Verdict, allow, block } from './verdict.js';

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';

export function isCredentialed(req: BrowserRequest): boolean {
  return req.credentials === 'include';
}

function originEvidence(req: BrowserRequest, raw: RawHeaders): Evidence {
  return {
    origin: serializeOrigin(req.origin),
    credentials: req.credentials,
    [ACAO]: lineValues(raw, ACAO),
  };
}

/** Chromium's naming of a value that is neither `*` nor the origin (cors.cc CheckAccess). */
function mismatchName(value: string): ChromiumCorsError {
  if (value === 'null') return 'AllowOriginMismatch';
  if (/[ ,]/.test(value)) return 'MultipleAllowOriginValues';
  try {
    new URL(value);
    return 'AllowOriginMismatch';
  } catch {
    return 'InvalidAllowOriginValue';
  }
}

/** Steps 1-4 of `#cors-check`: Access-Control-Allow-Origin against the serialized origin. */
export function checkAllowOrigin(req: BrowserRequest, raw: RawHeaders): Verdict {
  const origin = serializeOrigin(req.origin);
  const lines = lineValues(raw, ACAO);
  const value = getCombined(raw, ACAO);
  const evidence = originEvidence(req, raw);
  const remedy = `Access-Control-Allow-Origin: ${origin}`;
  if (value === null) {
    return block(SECTION.corsCheck, 'R-CHK-1', 'no Access-Control-Allow-Origin header', {
      chromiumError: 'MissingAllowOriginHeader',
      remedy,
      evidence,
    });
  }
  if (lines.length > 1) {
    return block(SECTION.corsCheck, 'R-CHK-5', `${lines.length} Access-Control-Allow-Origin lines; Fetch joins them into "${value}", which matches no origin`, {
      chromiumError: 'MultipleAllowOriginValues',
      remedy: `${remedy} (exactly one line: remove the duplicate added by a proxy or second middleware)`,
      evidence,
    });
  }
  if (value === '*') {
    if (!isCredentialed(req)) return allow(SECTION.corsCheck, 'R-CHK-2', '`*` allows any origin for a request without credentials', evidence);
    return block(SECTION.corsCheck, 'R-CHK-3', '`*` is never enough for a request with credentials', {
      chromiumError: 'WildcardOriginNotAllowed',
      remedy: `${remedy} (echo the allowed origin, with Vary: Origin)`,
      evidence,
    });
  }
  if (value !== origin) {
    return block(SECTION.corsCheck, 'R-CHK-4', `Access-Control-Allow-Origin "${value}" is not byte-equal to the serialized origin "${origin}"`, {
      chromiumError: mismatchName(value),
      remedy,
      evidence,
    });
  }
  return allow(SECTION.corsCheck, 'R-CHK-4', `Access-Control-Allow-Origin equals the serialized origin ${origin}`, evidence);
}

/** Steps 5-7 of `#cors-check`: with credentials, Access-Control-Allow-Credentials must be `true`. */
export function checkAllowCredentials(req: BrowserRequest, raw: RawHeaders): Verdict {
  const lines = lineValues(raw, ACAC);
  const evidence: Evidence = { credentials: req.credentials, [ACAC]: lines };
  if (!isCredentialed(req)) {
    return allow(SECTION.corsCheck, 'R-CHK-2', `credentials mode is ${req.credentials}: Access-Control-Allow-Credentials is not consulted`, evidence);
  }
  const value = getCombined(raw, ACAC);
  if (value === 'true') return allow(SECTION.corsCheck, 'R-CHK-7', 'Access-Control-Allow-Credentials: true', evidence);
  const seen = value === null ? 'absent' : lines.length > 1 ? `${lines.length} lines, joined "${value}"` : `"${value}"`;
  return block(SECTION.corsCheck, 'R-CHK-6', `a request with credentials needs Access-Control-Allow-Credentials exactly "true" (once); got ${seen}`, {
    chromiumError: 'InvalidAllowCredentials',
    remedy: 'Access-Control-Allow-Credentials: true',
    evidence,
  });
}

/** The whole CORS check; status does not matter (R-CHK-8/9: errors and redirects need it too). */
export function corsCheck(req: BrowserRequest, status: number, raw: RawHeaders): Verdict {
  if (!isCrossOrigin(req)) return allow(SECTION.sameOrigin, 'R-REQ-1', 'same-origin request: CORS does not apply', { status });
  const origin = checkAllowOrigin(req, raw);
  const credentials = checkAllowCredentials(req, raw);
  const evidence: Evidence = { status, ...origin.evidence, ...credentials.evidence };
  const failed = !origin.allowed ? origin : !credentials.allowed ? credentials : null;
  if (failed) return { ...failed, evidence };
  const reason = isCredentialed(req) ? `${origin.reason}, with Access-Control-Allow-Credentials: true` : origin.reason;
  return allow(SECTION.corsCheck, origin.ref, reason, evidence);
}
