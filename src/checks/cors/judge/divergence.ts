/**
 * `cors.divergence`: gateway and RAG should agree on who may read them. The production contract
 * has the gateway echoing the app's origin while the RAG answers `*`: allowed for an EventSource
 * without credentials (R-ES-1), but a policy split worth knowing about.
 */
import type { Finding } from '../../../core/finding.js';
import type { HttpObservation } from '../../../http/types.js';
import { getCombined } from '../../../fetch/headers.js';
import { rawOf, shape, showLines, unreachableOne } from './shape.js';
import { serializeOrigin } from '../../../fetch/request.js';
import { SECTION, allow, block } from '../../../fetch/verdict.js';

const ID = 'cors.divergence';
const ACAO = 'access-control-allow-origin';

export function judgeDivergence(gatewayObs: HttpObservation, ragObs: HttpObservation, origin: string): Finding[] {
  const serialized = serializeOrigin(origin);
  const request = {
    gateway: { method: gatewayObs.request.method, url: gatewayObs.request.url, headers: { Origin: serialized } },
    rag: { method: ragObs.request.method, url: ragObs.request.url, headers: { Origin: serialized } },
  };
  const lost = [gatewayObs, ragObs].find((o) => !o.response);
  if (lost) return [unreachableOne(lost, ID, request)];
  const g = getCombined(rawOf(gatewayObs), ACAO);
  const r = getCombined(rawOf(ragObs), ACAO);
  const observed = `gateway ${showLines(rawOf(gatewayObs), ACAO, 'Access-Control-Allow-Origin')}\nrag ${showLines(rawOf(ragObs), ACAO, 'Access-Control-Allow-Origin')}`;
  const expected = `both answer Access-Control-Allow-Origin: ${serialized}`;
  const extra = {
    gateway: { status: gatewayObs.response?.status ?? 0, [ACAO]: g },
    rag: { status: ragObs.response?.status ?? 0, [ACAO]: r },
  };
  if (g === r) {
    const v = allow(SECTION.corsCheck, 'R-CHK-4', `gateway and RAG agree (${g ?? 'no header'})`);
    return [shape({ obs: ragObs, request, id: ID, verdict: v, status: 'pass', title: v.reason, expected, observed, extra })];
  }
  const wildcardRag = g === serialized && r === '*';
  const reason = wildcardRag
    ? 'the RAG answers `*` while the gateway answers the app origin: fine for EventSource without credentials, but every site can read the stream, and withCredentials: true would be blocked'
    : `gateway and RAG disagree on the allowed origin (gateway ${g ?? 'none'}, RAG ${r ?? 'none'})`;
  const v = block(SECTION.corsCheck, wildcardRag ? 'R-ES-1' : 'R-CHK-4', reason, {
    remedy: `Access-Control-Allow-Origin: ${serialized} on both services, with Vary: Origin`,
  });
  return [shape({ obs: ragObs, request, id: ID, verdict: v, status: 'warn', title: reason, expected, observed, extra })];
}
