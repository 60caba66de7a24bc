/** `cors.preflight.*`: the OPTIONS answer judged as a browser judges it (R-PF-*). */
import type { Finding } from '../../../core/finding.js';
import type { HttpObservation } from '../../../http/types.js';
import { type Shape, hasHeader, rawOf, requestEvidence, shape, showLines, unreachable } from './shape.js';
import type { MaxAge } from '../../../fetch/max-age.js';
import { preflightAspects } from '../../../fetch/preflight.js';
import { type BrowserRequest, preflightNeeded, preflightRequest, serializeOrigin } from '../../../fetch/request.js';
import { SECTION, type Verdict, allow, block } from '../../../fetch/verdict.js';

export const PREFLIGHT_IDS = [
  'cors.preflight.headers-present',
  'cors.preflight.status',
  'cors.preflight.allow-origin',
  'cors.preflight.allow-credentials',
  'cors.preflight.allow-methods',
  'cors.preflight.allow-headers',
  'cors.preflight.max-age',
] as const;

/** Below this, most calls pay for a second round trip (R-CACHE-2 suggests 600-7200 s). */
const MAX_AGE_WARN_BELOW = 600;

type Base = Pick<Shape, 'obs' | 'request'>;

function fromVerdict(base: Base, id: string, v: Verdict, expected: string, observed: string): Finding {
  return shape({
    ...base,
    id,
    verdict: v,
    status: v.allowed ? 'pass' : 'fail',
    title: `preflight: ${v.reason}`,
    expected,
    observed,
  });
}

function headersPresent(base: Base, status: number): Finding {
  const raw = rawOf(base.obs);
  const any = raw.some(([n]) => String(n).trim().toLowerCase().startsWith('access-control-'));
  const v = any
    ? allow(SECTION.preflight, 'R-PF-2', 'the preflight answer carries CORS headers')
    : block(
        SECTION.preflight,
        'R-PF-2',
        `the ${status} preflight answer carries no Access-Control-* header: something (authentication, a WAF, the router) answered OPTIONS before the CORS middleware`,
        {
          remedy: 'register the CORS middleware first so it answers OPTIONS itself, before security and auth layers',
        },
      );
  return fromVerdict(
    base,
    'cors.preflight.headers-present',
    v,
    'Access-Control-Allow-Origin and the other CORS headers on the OPTIONS answer',
    `${status}, ${any ? 'CORS headers present' : 'no Access-Control-* header'}`,
  );
}

function maxAgeFinding(base: Base, m: MaxAge, url: string): Finding {
  const short = !m.valid || m.seconds < MAX_AGE_WARN_BELOW;
  // R-CACHE-3: the cache key is the full URL, so a query string defeats any Max-Age.
  const query = url.includes('?') ? '; the URL has a query string, so each distinct URL is preflighted anyway' : '';
  return shape({
    ...base,
    id: 'cors.preflight.max-age',
    status: short ? 'warn' : 'pass',
    severity: 'info',
    title: `preflight cache: ${m.reason}${query}`,
    expected: `Access-Control-Max-Age between ${MAX_AGE_WARN_BELOW} and 7200 (Chromium's cap)`,
    observed: m.value === null ? '(no Access-Control-Max-Age header)' : `Access-Control-Max-Age: ${m.value}`,
    remedy: 'Access-Control-Max-Age: 7200',
    verdict: allow(SECTION.preflight, 'R-CACHE-1', m.reason, {
      seconds: m.seconds,
      chromiumSeconds: m.chromiumSeconds,
      firefoxSeconds: m.firefoxSeconds,
    }),
  });
}

function credentialsFinding(base: Base, req: BrowserRequest, v: Verdict): Finding {
  const raw = rawOf(base.obs);
  if (req.credentials !== 'include') {
    return shape({
      ...base,
      id: 'cors.preflight.allow-credentials',
      status: 'skip',
      title: `preflight: ${v.reason}`,
      expected: 'not needed without credentials',
      observed: showLines(raw, 'access-control-allow-credentials', 'Access-Control-Allow-Credentials'),
      verdict: v,
    });
  }
  return fromVerdict(
    base,
    'cors.preflight.allow-credentials',
    v,
    'Access-Control-Allow-Credentials: true (exactly once)',
    showLines(raw, 'access-control-allow-credentials', 'Access-Control-Allow-Credentials'),
  );
}

export function judgePreflight(obs: HttpObservation, req: BrowserRequest): Finding[] {
  const sent = preflightRequest(req);
  const need = preflightNeeded(req);
  const base: Base = { obs, request: { ...requestEvidence(sent, req.credentials), preflightReason: need.reason } };
  if (!obs.response) return unreachable(obs, PREFLIGHT_IDS, base.request);
  const { status, rawHeaders: raw } = obs.response;
  const a = preflightAspects(req, status, raw);
  const origin = serializeOrigin(req.origin);
  const location = hasHeader(raw, 'location') ? `\n${showLines(raw, 'location', 'Location')}` : '';
  const anyOrigin = req.credentials === 'include' ? '' : ' (or *)';
  return [
    headersPresent(base, status),
    fromVerdict(base, 'cors.preflight.status', a.status, '204 No Content (any 200-299 passes)', `${status}${location}`),
    fromVerdict(
      base,
      'cors.preflight.allow-origin',
      a.allowOrigin,
      `Access-Control-Allow-Origin: ${origin}${anyOrigin} (one line)`,
      showLines(raw, 'access-control-allow-origin', 'Access-Control-Allow-Origin'),
    ),
    credentialsFinding(base, req, a.allowCredentials),
    fromVerdict(
      base,
      'cors.preflight.allow-methods',
      a.allowMethods,
      `${need.method} allowed (GET, HEAD, POST need no Access-Control-Allow-Methods)`,
      showLines(raw, 'access-control-allow-methods', 'Access-Control-Allow-Methods'),
    ),
    fromVerdict(
      base,
      'cors.preflight.allow-headers',
      a.allowHeaders,
      `Access-Control-Allow-Headers listing ${need.unsafeHeaderNames.join(', ') || '(nothing needed)'}`,
      showLines(raw, 'access-control-allow-headers', 'Access-Control-Allow-Headers'),
    ),
    maxAgeFinding(base, a.maxAge, req.url),
  ];
}
