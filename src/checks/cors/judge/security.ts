/**
 * `security.headers`: a short, informational look at transport and sniffing headers seen on the
 * same responses. Never fails a run (pass or warn), except when there was no response at all.
 */
import type { Finding } from '../../../core/finding.js';
import type { HttpObservation } from '../../../http/types.js';
import { getCombined } from '../../../fetch/headers.js';
import { rawOf, requestEvidence, shape, unreachableOne } from './shape.js';

const ID = 'security.headers';
const SHOWN = ['strict-transport-security', 'x-content-type-options', 'x-powered-by', 'server'];

interface Gap {
  seen: string;
  fix: string;
}

function gaps(obs: HttpObservation): Gap[] {
  const raw = rawOf(obs);
  const out: Gap[] = [];
  const hsts = getCombined(raw, 'strict-transport-security');
  if (obs.request.url.startsWith('https:')) {
    if (hsts === null)
      out.push({
        seen: 'no Strict-Transport-Security',
        fix: 'Strict-Transport-Security: max-age=31536000; includeSubDomains',
      });
    else if (/max-age\s*=\s*"?0"?\s*(;|$)/i.test(hsts))
      out.push({
        seen: `Strict-Transport-Security: ${hsts} (disables HSTS)`,
        fix: 'Strict-Transport-Security: max-age=31536000; includeSubDomains',
      });
  }
  const xcto = getCombined(raw, 'x-content-type-options');
  if (xcto?.toLowerCase() !== 'nosniff')
    out.push({
      seen: xcto === null ? 'no X-Content-Type-Options' : `X-Content-Type-Options: ${xcto}`,
      fix: 'X-Content-Type-Options: nosniff',
    });
  const powered = getCombined(raw, 'x-powered-by');
  if (powered !== null)
    out.push({
      seen: `X-Powered-By: ${powered} (names the stack)`,
      fix: 'remove X-Powered-By (Express: app.disable("x-powered-by"))',
    });
  return out;
}

export function judgeSecurityHeaders(obs: HttpObservation): Finding[] {
  const request = requestEvidence(obs.request, 'omit');
  if (!obs.response) return [unreachableOne(obs, ID, request)];
  const found = gaps(obs);
  const ok = found.length === 0;
  return [
    shape({
      obs,
      request,
      id: ID,
      status: ok ? 'pass' : 'warn',
      severity: 'info',
      prefixes: SHOWN,
      title: ok ? 'security headers present (HSTS, nosniff)' : `security headers: ${found.map((g) => g.seen).join('; ')}`,
      expected: 'Strict-Transport-Security on https, X-Content-Type-Options: nosniff, no X-Powered-By',
      observed: ok ? 'all present' : found.map((g) => g.seen).join('\n'),
      remedy: found.map((g) => g.fix).join('\n'),
      extra: { rule: 'informational (RFC 6797 HSTS, fetch#x-content-type-options-header)' },
    }),
  ];
}
