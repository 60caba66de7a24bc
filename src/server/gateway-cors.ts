import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { securityHeaders, sendJson } from './respond.js';

export const ALLOWED_METHODS = 'GET, POST, OPTIONS';
export const ALLOWED_HEADERS = 'Content-Type, Authorization';
export const MAX_AGE = '600';

/** Paths the auth layer lets through without a token. */
const PUBLIC_PATHS = new Set(['/health', '/metrics']);

/**
 * The allowlist decision. The clean server compares byte for byte; each fault is an allowlist
 * mistake seen in the field (docs/checks.md, CORS probes), which the misconfiguration probes must catch.
 */
function isAllowed(origin: string, allowedOrigin: string, faults: Faults): boolean {
  if (origin === allowedOrigin) return true;
  // cors({origin: true}): "reflect the request origin".
  if (faults.has('reflect-origin')) return true;
  // 'null' added for file:// pages during development, and never removed.
  if (faults.has('null-origin') && origin === 'null') return true;
  const host = new URL(allowedOrigin).hostname;
  if (faults.has('suffix-match') && origin.endsWith(host)) return true;
  const appName = host.split('.')[0] ?? host;
  if (faults.has('substring-match') && origin.includes(appName)) return true;
  // CORS_ORIGIN_REGEX_WHITELIST / origins=[re.compile(...)] / cors({origin: /^http:\/\/app\.example\.test/}): no end anchor.
  if (faults.has('regex-prefix') && prefixRegex(allowedOrigin).test(origin)) return true;
  return false;
}

/** `^<scheme>://<host>` with the dots escaped and no end anchor, as the classic allowlist regex is written. */
export function prefixRegex(allowedOrigin: string): RegExp {
  const { protocol, hostname } = new URL(allowedOrigin);
  return new RegExp(`^${protocol}//${hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/**
 * The gateway's CORS middleware (Express `cors({origin, credentials: true})` equivalent): the
 * allowed origin is echoed with credentials, `Vary: Origin` always, and a preflight is answered
 * 204 here, before any security or auth layer can see it. Returns true when it answered.
 */
export function gatewayCors(req: IncomingMessage, res: ServerResponse, allowedOrigin: string, faults: Faults): boolean {
  const origin = req.headers.origin;
  // cors({origin: '*', credentials: true}) sends both, and no Vary (the value never changes).
  const wildcard = faults.has('wildcard-credentials');
  if (!faults.has('no-vary') && !wildcard) res.setHeader('vary', 'Origin');
  const allowed = wildcard || (origin !== undefined && isAllowed(origin, allowedOrigin, faults));
  if (allowed) {
    res.setHeader('access-control-allow-origin', wildcard ? '*' : (origin as string));
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'X-Request-Id');
  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  // preflightContinue: the OPTIONS goes on to the router, which has no OPTIONS route.
  if (faults.has('no-preflight')) return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    res.setHeader('access-control-allow-headers', faults.has('preflight-no-auth-header') ? 'Content-Type' : ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', MAX_AGE);
  }
  // An auth layer after CORS that also sees OPTIONS: the CORS headers are there, the status is not ok.
  if (faults.has('preflight-403')) {
    sendJson(res, 403, { error: 'forbidden' });
    return true;
  }
  res.writeHead(204, { 'content-length': '0' });
  res.end();
  return true;
}

/**
 * Fault `cors-after-security`: an auth layer registered before CORS rejects every request
 * without a bearer token — preflights included, since a browser never sends Authorization on
 * OPTIONS — and its 401 carries no CORS headers. Returns true when it answered.
 */
export function authBeforeCors(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  if (PUBLIC_PATHS.has(url.pathname) && req.method !== 'OPTIONS') return false;
  if (/^Bearer \S+/.test(req.headers.authorization ?? '')) return false;
  req.resume();
  securityHeaders(res);
  res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, 401, { error: 'missing bearer token' });
  return true;
}
