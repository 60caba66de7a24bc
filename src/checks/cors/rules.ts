/**
 * The CORS rules a browser applies (WHATWG Fetch), as pure functions: the one place the audit's
 * knowledge of CORS lives. Each function cites its Fetch section; verdicts carry it as `rule`.
 */
export {
  type BrowserRequest,
  type CredentialsMode,
  type PreflightNeed,
  actualRequest,
  isCrossOrigin,
  isSafelistedMethod,
  normalizeMethod,
  preflightNeeded,
  preflightRequest,
  serializeOrigin,
} from './request.js';
export { corsUnsafeRequestHeaderNames, isForbiddenRequestHeader, mimeEssence, unsafeReason } from './safelist.js';
export { checkAllowCredentials, checkAllowOrigin, corsCheck, isCredentialed } from './check.js';
export {
  type PreflightAspects,
  checkAllowHeaders,
  checkAllowMethods,
  checkPreflightStatus,
  preflightAspects,
  preflightCheck,
} from './preflight.js';
export { type MaxAge, parseMaxAge } from './max-age.js';
export { type Exposure, SAFELISTED_RESPONSE_HEADERS, exposedHeaders } from './expose.js';
export { type ChromiumCorsError, type Verdict, SECTION, specUrl } from './verdict.js';
