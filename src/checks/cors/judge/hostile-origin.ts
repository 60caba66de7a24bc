/**
 * `cors.probe.<kind>`: did a hostile origin get through? Judged with the CORS check itself, so an
 * answer naming another origin, or `*` with credentials, grants nothing and is not a hole.
 */
import type { Finding, Severity } from '../../../core/finding.js';
import type { HttpObservation } from '../../../http/types.js';
import { corsCheck } from '../../../fetch/cors-check.js';
import { exposedHeaders } from '../../../fetch/expose.js';
import { getCombined } from '../../../fetch/headers.js';
import { rawOf, requestEvidence, shape, showLines, unreachableOne, worstPerId } from './shape.js';
import type { Exploitability } from '../hostile-origins/kinds.js';
import type { Probe } from '../hostile-origins/origins.js';
import type { BrowserRequest } from '../../../fetch/request.js';

/** Critical only when anyone can host the page and the visitor's credentials come along */
export function probeSeverity(exploitability: Exploitability, credentialed: boolean): Severity {
  if (credentialed) return exploitability === 'anyone' ? 'critical' : 'high';
  return exploitability === 'anyone' ? 'medium' : 'low';
}

function probeRequest(obs: HttpObservation, probe: Probe, credentialed: boolean): BrowserRequest {
  return {
    origin: probe.origin,
    method: obs.request.method,
    url: obs.request.url,
    headers: {},
    credentials: credentialed ? 'include' : 'omit',
  };
}

function observedOf(obs: HttpObservation): string {
  const raw = rawOf(obs);
  return [
    showLines(raw, 'access-control-allow-origin', 'Access-Control-Allow-Origin'),
    showLines(raw, 'access-control-allow-credentials', 'Access-Control-Allow-Credentials'),
  ].join('\n');
}

export function judgeProbe(obs: HttpObservation, probe: Probe, credentialed: boolean): Finding {
  const id = `cors.probe.${probe.kind}`;
  const req = probeRequest(obs, probe, credentialed);
  const request = {
    ...requestEvidence({ method: req.method, url: req.url, headers: { Origin: probe.origin } }, req.credentials),
    probe: probe.kind,
  };
  if (!obs.response) return unreachableOne(obs, id, request);
  const { status, rawHeaders: raw } = obs.response;
  const v = corsCheck(req, status, raw);
  const extra = {
    probe: {
      origin: probe.origin,
      kind: probe.kind,
      exploitability: probe.exploitability,
      whatItMeans: probe.whatItMeans,
    },
    credentialed,
  };
  const expected = `no Access-Control-Allow-Origin for ${probe.origin} (an exact allowlist)`;
  if (!v.allowed) {
    return shape({
      obs,
      request,
      id,
      verdict: v,
      status: 'pass',
      title: `${probe.description} (${probe.origin}) is refused: ${v.reason}`,
      expected,
      observed: observedOf(obs),
      extra,
    });
  }
  if (getCombined(raw, 'access-control-allow-origin') === '*') {
    // R-CHK-2: public to every site without credentials; not a grant to this origin in particular.
    return shape({
      obs,
      request,
      id,
      verdict: v,
      status: 'pass',
      title: `${probe.origin}: answered \`*\` (public without credentials, nothing origin-specific)`,
      expected,
      observed: observedOf(obs),
      extra,
    });
  }
  const readable = exposedHeaders(req, raw, status).readable;
  const withCookies = credentialed ? " with the visitor's cookies" : '';
  const canRead = `a page on ${probe.origin} can read the ${status} response of ${req.method} ${req.url}${withCookies} (body, and headers: ${readable.join(', ') || 'none'})`;
  return shape({
    obs,
    request,
    id,
    verdict: v,
    status: 'fail',
    severity: probeSeverity(probe.exploitability, credentialed),
    title: `${probe.origin} passes the ${credentialed ? 'credentialed ' : ''}CORS check: a page there can read ${req.method} ${req.url}${withCookies}`,
    expected,
    observed: observedOf(obs),
    remedy: `compare Origin to an exact allowlist (no regex, startsWith, endsWith or includes) and send no Access-Control-Allow-Origin / Access-Control-Allow-Credentials for ${probe.origin}`,
    extra: { ...extra, canRead },
  });
}

/** One finding per probe from its uncredentialed and credentialed answers: the worse one. */
export function judgeProbePair(probe: Probe, anon?: HttpObservation, cred?: HttpObservation): Finding[] {
  const findings = [...(anon ? [judgeProbe(anon, probe, false)] : []), ...(cred ? [judgeProbe(cred, probe, true)] : [])];
  return worstPerId(findings);
}
