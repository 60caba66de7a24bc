/**
 * The Fetch standard's algorithms a browser applies (WHATWG Fetch), as pure functions: request
 * building, the safelists, the CORS check, the preflight, exposed headers, max-age, MIME types.
 * The one place the audit's knowledge of Fetch lives; the CORS checks (src/checks/cors) use it.
 * Each function cites its Fetch section; verdicts carry it as `rule`.
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
export { corsUnsafeRequestHeaderNames, isForbiddenRequestHeader, unsafeReason } from './safelist.js';
export { extractMimeEssence, mimeEssence } from './mime.js';
export { checkAllowCredentials, checkAllowOrigin, corsCheck, isCredentialed } from './cors-check.js';
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
