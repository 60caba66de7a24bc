/**
 * Findings on the actual responses of the app's requests: the CORS check on each (R-PF-11,
 * R-CHK-*), Vary: Origin (R-VARY-1), CORS on error responses (R-CHK-8), duplicated lines (R-CHK-5/6).
 */
import type { Finding } from '../../../core/finding.js';
import type { HttpObservation } from '../../../http/types.js';
import { corsCheck, isCredentialed } from '../../../fetch/cors-check.js';
import { exposedHeaders } from '../../../fetch/expose.js';
import { getCombined, lineValues, varyIncludes } from '../../../fetch/headers.js';
import { type Shape, rawOf, requestEvidence, shape, showLines, unreachable } from './shape.js';
import { type BrowserRequest, actualRequest, serializeOrigin } from '../../../fetch/request.js';
import { SECTION, allow, block } from '../../../fetch/verdict.js';

type Base = Pick<Shape, 'obs' | 'request'>;

function requestOf(req: BrowserRequest): Base['request'] {
  const sent = actualRequest(req);
  // Only Origin matters to the CORS check; other author headers are listed by name.
  return {
    ...requestEvidence({ ...sent, headers: { Origin: sent.headers.Origin ?? '' } }, req.credentials),
    authorHeaders: Object.keys(req.headers).map((n) => n.toLowerCase()),
  };
}

function originLines(obs: HttpObservation): string {
  const raw = rawOf(obs);
  return [
    showLines(raw, 'access-control-allow-origin', 'Access-Control-Allow-Origin'),
    showLines(raw, 'access-control-allow-credentials', 'Access-Control-Allow-Credentials'),
  ].join('\n');
}

function expectedLines(req: BrowserRequest): string {
  const origin = serializeOrigin(req.origin);
  return isCredentialed(req) ? `Access-Control-Allow-Origin: ${origin} and Access-Control-Allow-Credentials: true` : `Access-Control-Allow-Origin: ${origin} (or *)`;
}

function headersFinding(base: Base, req: BrowserRequest, name: string, status: number): Finding {
  const raw = rawOf(base.obs);
  const v = corsCheck(req, status, raw);
  const exposure = exposedHeaders(req, raw, status);
  const id = `cors.headers.${name}`;
  if (v.allowed && exposure.missing.length > 0) {
    const missing = block(SECTION.exposed, 'R-EXP-1', `the app reads ${exposure.missing.join(', ')}, which the page cannot see`, {
      remedy: `Access-Control-Expose-Headers: ${exposure.missing.join(', ')}`,
    });
    return shape({
      ...base,
      id,
      verdict: missing,
      status: 'fail',
      title: `${name}: ${missing.reason}`,
      expected: `Access-Control-Expose-Headers listing ${exposure.missing.join(', ')}`,
      observed: showLines(raw, 'access-control-expose-headers', 'Access-Control-Expose-Headers'),
    });
  }
  const title = v.allowed ? `${name}: the ${status} response passes the CORS check (${v.reason})` : `${name}: the browser blocks the ${status} response: ${v.reason}`;
  return shape({
    ...base,
    id,
    verdict: v,
    status: v.allowed ? 'pass' : 'fail',
    title,
    expected: expectedLines(req),
    observed: originLines(base.obs),
    extra: { readable: exposure.readable },
  });
}

function varyFinding(base: Base, req: BrowserRequest, name: string): Finding {
  const raw = rawOf(base.obs);
  const acao = getCombined(raw, 'access-control-allow-origin');
  const echoed = acao !== null && acao !== '*' && acao === serializeOrigin(req.origin);
  const ok = !echoed || varyIncludes(raw, 'origin');
  const why = !echoed
    ? 'Access-Control-Allow-Origin does not echo the request origin: Vary: Origin not needed'
    : ok
      ? 'Vary includes Origin'
      : 'the origin is echoed but Vary lacks Origin: a shared cache can replay this answer to another origin (unless this value is fixed for every request)';
  const v = ok ? allow(SECTION.httpCaches, 'R-VARY-1', why) : block(SECTION.httpCaches, 'R-VARY-1', why, { remedy: 'Vary: Origin' });
  return shape({
    ...base,
    id: 'cors.vary',
    verdict: v,
    status: ok ? 'pass' : 'warn',
    title: `${name}: ${why}`,
    expected: 'Vary: Origin wherever Access-Control-Allow-Origin echoes the request',
    observed: showLines(raw, 'vary', 'Vary'),
  });
}

function duplicatesFinding(base: Base, name: string): Finding {
  const raw = rawOf(base.obs);
  const doubled = ['access-control-allow-origin', 'access-control-allow-credentials'].filter((h) => lineValues(raw, h).length > 1);
  const why =
    doubled.length === 0
      ? 'one line each for Access-Control-Allow-Origin and -Credentials'
      : `repeated ${doubled.join(' and ')} lines: Fetch joins them with ", " and the check fails`;
  const v =
    doubled.length === 0
      ? allow(SECTION.headerGet, 'R-CHK-5', why)
      : block(SECTION.headerGet, doubled.includes('access-control-allow-origin') ? 'R-CHK-5' : 'R-CHK-6', why, {
          chromiumError: doubled.includes('access-control-allow-origin') ? 'MultipleAllowOriginValues' : 'InvalidAllowCredentials',
          remedy: 'send each header once: remove the copy added by the proxy or by a second CORS layer',
        });
  return shape({
    ...base,
    id: 'cors.duplicate-headers',
    verdict: v,
    status: v.allowed ? 'pass' : 'fail',
    title: `${name}: ${why}`,
    expected: 'exactly one Access-Control-Allow-Origin line and at most one Access-Control-Allow-Credentials line',
    observed: originLines(base.obs),
  });
}

/**
 * Whether the app can meet an error on its own calls: the API call's 401/403/429/5xx and the
 * stream's error statuses, yes; a 404 of a path the app never calls (our made-up path), no.
 */
export type ErrorReach = 'met' | 'unknown-path';

const UNKNOWN_PATH_WHY =
  'the app never calls this path, so this alone breaks nothing today; it matters when the app calls a wrong or removed path (an old client after a deploy, a typo): the page then gets a TypeError ("Failed to fetch") instead of 404, and cannot tell "not found" from "offline"';

/**
 * `cors.error-response` for a response with status >= 400; [] for any other status. An error the
 * app meets on its own calls must be readable (fail); a 404 of an unknown path warns at most.
 */
export function judgeErrorResponse(obs: HttpObservation, req: BrowserRequest, reach: ErrorReach = 'met'): Finding[] {
  const status = obs.response?.status;
  if (status === undefined || status < 400) return [];
  const base: Base = { obs, request: { ...requestOf(req), errorReach: reach } };
  const v = corsCheck(req, status, rawOf(obs));
  const unknownPath = reach === 'unknown-path';
  const title = v.allowed
    ? `the ${status} error response carries CORS headers: the app can read the status`
    : unknownPath
      ? `the ${status} of a path the app does not call fails the CORS check (${v.reason}): ${UNKNOWN_PATH_WHY}`
      : `the ${status} error response fails the CORS check (${v.reason}): the app sees a network error (TypeError), not ${status}`;
  const remedy = `send CORS headers on error responses too (run CORS before auth, 404 and error handlers): ${expectedLines(req)}`;
  return [
    shape({
      ...base,
      id: 'cors.error-response',
      verdict: { ...v, ref: 'R-CHK-8' },
      status: v.allowed ? 'pass' : unknownPath ? 'warn' : 'fail',
      title,
      expected: expectedLines(req),
      observed: originLines(obs),
      remedy,
    }),
  ];
}

/** Findings for the actual response of one app request, e.g. name `api`, `health`, `stream`. */
export function judgeActual(obs: HttpObservation, req: BrowserRequest, name: string): Finding[] {
  const base: Base = { obs, request: requestOf(req) };
  if (!obs.response) return unreachable(obs, [`cors.headers.${name}`, 'cors.vary', 'cors.duplicate-headers'], base.request);
  return [headersFinding(base, req, name, obs.response.status), varyFinding(base, req, name), duplicatesFinding(base, name), ...judgeErrorResponse(obs, req)];
}
