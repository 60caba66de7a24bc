/**
 * The request side: what a page's fetch()/EventSource call makes the browser send, and whether a
 * CORS-preflight comes first.
 */
import type { SentRequest } from '../http/types.js';
import { isToken, normalizeValue } from './headers.js';
import { corsUnsafeRequestHeaderNames, isForbiddenRequestHeader } from './safelist.js';
import { SECTION } from './verdict.js';

export type CredentialsMode = 'include' | 'same-origin' | 'omit';

/** A call the web app makes, as the page writes it. */
export interface BrowserRequest {
  /** The page's origin, e.g. `https://zantara.balizero.com`; serialized before use. */
  origin: string;
  method: string;
  url: string;
  /** Author headers as passed to fetch(); forbidden ones are dropped as a browser does. */
  headers: Record<string, string>;
  credentials: CredentialsMode;
  /** Response headers the app reads; each must be exposed (Access-Control-Expose-Headers). */
  readsHeaders?: string[];
}

/**
 * `#serializing-a-request-origin`: scheme://host[:port], lower-case host, default port omitted, no
 * slash; `null` for opaque origins. Unparseable input is returned trimmed rather than thrown.
 */
export function serializeOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (trimmed === 'null') return 'null';
  try {
    return new URL(trimmed).origin;
  } catch {
    return trimmed;
  }
}

const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

/** `#concept-method-normalize`: only these six are upper-cased; `patch` stays `patch`. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

/** `#cors-safelisted-method`, compared after normalisation (byte-case-sensitive). */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

export function isCrossOrigin(req: BrowserRequest): boolean {
  try {
    return new URL(req.url).origin !== serializeOrigin(req.origin);
  } catch {
    return true;
  }
}

/** Author headers that reach the wire: values normalised, forbidden names dropped. */
export function authorHeaders(req: BrowserRequest): { sent: Array<[string, string]>; dropped: string[] } {
  const sent: Array<[string, string]> = [];
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (isForbiddenRequestHeader(name, String(value))) dropped.push(name.toLowerCase());
    else sent.push([name, normalizeValue(String(value))]);
  }
  return { sent, dropped };
}

export interface PreflightNeed {
  needed: boolean;
  /** The method after normalisation. */
  method: string;
  /** Sorted lower-case names that go into Access-Control-Request-Headers. */
  unsafeHeaderNames: string[];
  /** Forbidden author headers the browser drops silently (`#forbidden-request-header`). */
  droppedHeaderNames: string[];
  /** Headers fetch() would reject with a TypeError (not a token name, or bytes not allowed). */
  invalidHeaderNames: string[];
  reason: string;
  rule: string;
}

/** Main fetch's "use-CORS-preflight" decision (`#main-fetch`, R-REQ-2/3). */
export function preflightNeeded(req: BrowserRequest): PreflightNeed {
  const method = normalizeMethod(req.method);
  const { sent, dropped } = authorHeaders(req);
  // fetch() throws on these before anything is sent (`#concept-headers-append`).
  const invalid = sent.filter(([n, v]) => !isToken(n) || /[\0\r\n]|[^\x00-\xff]/.test(v)).map(([n]) => n.toLowerCase());
  const unsafe = corsUnsafeRequestHeaderNames(sent.filter(([n]) => !invalid.includes(n.toLowerCase())));
  const base = { method, droppedHeaderNames: dropped, invalidHeaderNames: invalid, unsafeHeaderNames: unsafe.names };
  if (!isCrossOrigin(req)) {
    return {
      ...base,
      needed: false,
      unsafeHeaderNames: [],
      reason: 'same-origin request: CORS does not apply',
      rule: SECTION.sameOrigin,
    };
  }
  const why: string[] = [];
  if (!isSafelistedMethod(method)) why.push(`method ${method} is not CORS-safelisted (GET, HEAD, POST)`);
  why.push(...unsafe.reasons);
  if (why.length === 0) {
    return {
      ...base,
      needed: false,
      reason: 'safelisted method and only CORS-safelisted headers: no preflight',
      rule: SECTION.mainFetch,
    };
  }
  const rule = isSafelistedMethod(method) ? SECTION.unsafeNames : SECTION.safelistedMethod;
  return { ...base, needed: true, reason: why.join('; '), rule };
}

/** The OPTIONS request a browser sends (`#cors-preflight-fetch-0` steps 1-5): never credentials. */
export function preflightRequest(req: BrowserRequest): SentRequest {
  const need = preflightNeeded(req);
  const headers: Record<string, string> = {
    Accept: '*/*',
    Origin: serializeOrigin(req.origin),
    'Access-Control-Request-Method': need.method,
  };
  // Joined with "," and no space, deliberately not "combined" (step 5 note).
  if (need.unsafeHeaderNames.length > 0) headers['Access-Control-Request-Headers'] = need.unsafeHeaderNames.join(',');
  return { method: 'OPTIONS', url: req.url, headers };
}

/** The actual request's headers as they reach the server (cookies are the caller's business). */
export function actualRequest(req: BrowserRequest): SentRequest {
  const headers: Record<string, string> = Object.fromEntries(authorHeaders(req).sent);
  headers.Origin = serializeOrigin(req.origin);
  return { method: normalizeMethod(req.method), url: req.url, headers };
}
