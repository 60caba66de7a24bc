/**
 * `sse.cors`: the stream response itself must pass the CORS check, not only a preflight (HTML
 * §9.2.2: EventSource fetches in CORS mode; Fetch #cors-check). Judged by the CORS rules module,
 * with the credentials mode `new EventSource(url, {withCredentials})` uses.
 */
import { finding, type Finding } from '../../core/finding.js';
import { corsCheck, type BrowserRequest } from '../../fetch/index.js';
import type { StreamObservation } from './types.js';

const ID = 'sse.cors';

export function judgeStreamCors(obs: StreamObservation, origin: string, withCredentials: boolean): Finding {
  const title = `the stream response allows ${origin} as EventSource needs`;
  const credentials = withCredentials ? 'include' : 'same-origin';
  const expected = withCredentials
    ? `Access-Control-Allow-Origin: ${origin} and Access-Control-Allow-Credentials: true`
    : `Access-Control-Allow-Origin: ${origin} (or *)`;
  const res = obs.response;
  if (!res) return finding({ id: ID, target: 'rag', status: 'skip', title, expected, observed: `no response (${obs.error?.message ?? 'the request failed'}); see sse.status` });
  const req: BrowserRequest = { origin, method: 'GET', url: obs.request.url, headers: {}, credentials };
  const v = corsCheck(req, res.status, res.rawHeaders);
  const evidence = { withCredentials, rule: v.rule, ref: v.ref, ...(v.chromiumError && { chromiumError: v.chromiumError }), ...v.evidence, spec: 'HTML §9.2.2 steps 6–8 (CORS mode; credentials per withCredentials)' };
  if (v.allowed) return finding({ id: ID, target: 'rag', status: 'pass', title, expected, observed: v.reason, evidence });
  return finding({
    id: ID,
    target: 'rag',
    status: 'fail',
    title,
    expected,
    observed: `${v.reason}: EventSource fires error and goes CLOSED; the page receives no event and never reconnects`,
    remedy: `${v.remedy ?? expected} on the stream response (e.g. FastAPI CORSMiddleware allow_origins=["${origin}"]${withCredentials ? ', allow_credentials=True' : ''})`,
    evidence,
  });
}
