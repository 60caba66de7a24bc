import type { JsonValue } from '../core/finding.js';

/** Fetch standard sections the rules cite; a rule string is `fetch#<anchor>`. */
export const SECTION = {
  corsCheck: 'fetch#cors-check',
  preflight: 'fetch#cors-preflight-fetch-0',
  okStatus: 'fetch#ok-status',
  safelistedMethod: 'fetch#cors-safelisted-method',
  safelistedHeader: 'fetch#cors-safelisted-request-header',
  unsafeNames: 'fetch#cors-unsafe-request-header-names',
  forbiddenHeader: 'fetch#forbidden-request-header',
  methodNormalize: 'fetch#concept-method-normalize',
  exposed: 'fetch#cors-safelisted-response-header-name',
  mainFetch: 'fetch#main-fetch',
  httpCaches: 'fetch#cors-protocol-and-http-caches',
  headerGet: 'fetch#concept-header-list-get',
  sameOrigin: 'html#same-origin',
} as const;

export function specUrl(rule: string): string {
  const [spec, anchor] = rule.split('#');
  const base = spec === 'html' ? 'https://html.spec.whatwg.org/multipage/browsers.html' : 'https://fetch.spec.whatwg.org/';
  return `${base}#${anchor ?? ''}`;
}

/** Chromium's `network.mojom.CorsError` names, as DevTools reports them. */
export type ChromiumCorsError =
  | 'MissingAllowOriginHeader'
  | 'WildcardOriginNotAllowed'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse';

export type Evidence = { [key: string]: JsonValue };

/** A browser's decision on one response (or one aspect of it), with the rule that decided. */
export interface Verdict {
  allowed: boolean;
  /** Fetch section, e.g. `fetch#cors-check`. */
  rule: string;
  /** Statement id in docs/browser-rules.md, e.g. `R-CHK-3`. */
  ref: string;
  reason: string;
  chromiumError?: ChromiumCorsError;
  /** The header line to add or change. */
  remedy?: string;
  evidence: Evidence;
}

export function allow(rule: string, ref: string, reason: string, evidence: Evidence = {}): Verdict {
  return { allowed: true, rule, ref, reason, evidence };
}

export function block(rule: string, ref: string, reason: string, extra: { chromiumError?: ChromiumCorsError; remedy?: string; evidence?: Evidence } = {}): Verdict {
  const v: Verdict = { allowed: false, rule, ref, reason, evidence: extra.evidence ?? {} };
  if (extra.chromiumError) v.chromiumError = extra.chromiumError;
  if (extra.remedy) v.remedy = extra.remedy;
  return v;
}

/** Chromium reports preflight failures of the CORS check under `Preflight*` names. */
export function asPreflightError(name: ChromiumCorsError | undefined): ChromiumCorsError | undefined {
  switch (name) {
    case 'MissingAllowOriginHeader':
    case 'WildcardOriginNotAllowed':
    case 'MultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'InvalidAllowCredentials':
      return `Preflight${name}`;
    default:
      return name;
  }
}
