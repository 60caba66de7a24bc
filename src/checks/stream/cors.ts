/**
 * `sse.cors`: the stream response itself must pass the CORS check, not only a preflight (HTML
 * §9.2.2: EventSource fetches in CORS mode; Fetch #cors-check). Judged by the CORS rules module,
 * with the credentials mode of the page's call: `new EventSource(url, {withCredentials})`, or
 * fetch()'s `credentials`; a fetch() stream also needs every header the app reads exposed (R-EXP-1).
 */
import { finding, type Finding } from '../../core/finding.js';
import { corsCheck, exposedHeaders, type BrowserRequest } from '../../fetch/index.js';
import type { StreamCall } from '../stream-call.js';
import type { StreamObservation } from './types.js';

const ID = 'sse.cors';

export function judgeStreamCors(obs: StreamObservation, origin: string, call: StreamCall): Finding {
  const viaFetch = call.transport === 'fetch';
  const credentialed = call.credentials === 'include';
  const api = viaFetch ? `fetch() with credentials: '${call.credentials}'` : 'EventSource';
  const title = `the stream response allows ${origin} as ${api} needs`;
  const expected = credentialed ? `Access-Control-Allow-Origin: ${origin} and Access-Control-Allow-Credentials: true` : `Access-Control-Allow-Origin: ${origin} (or *)`;
  const res = obs.response;
  if (!res) return finding({ id: ID, target: 'rag', status: 'skip', title, expected, observed: `no response (${obs.error?.message ?? 'the request failed'}); see sse.status` });
  const req: BrowserRequest = {
    origin,
    method: call.method,
    url: obs.request.url,
    headers: call.headers,
    credentials: call.credentials,
    ...(call.exposeHeaders.length > 0 && { readsHeaders: call.exposeHeaders }),
  };
  const v = corsCheck(req, res.status, res.rawHeaders);
  const spec = viaFetch ? "Fetch #http-fetch (CORS check with the request's credentials mode)" : 'HTML §9.2.2 steps 6–8 (CORS mode; credentials per withCredentials)';
  const evidence = {
    transport: call.transport,
    credentials: call.credentials,
    rule: v.rule,
    ref: v.ref,
    ...(v.chromiumError && { chromiumError: v.chromiumError }),
    ...v.evidence,
    spec,
  };
  if (!v.allowed) {
    const effect = viaFetch
      ? 'fetch() rejects with a TypeError; the page reads nothing, not even the status'
      : 'EventSource fires error and goes CLOSED; the page receives no event and never reconnects';
    return finding({
      id: ID,
      target: 'rag',
      status: 'fail',
      title,
      expected,
      observed: `${v.reason}: ${effect}`,
      remedy: `${v.remedy ?? expected} on the stream response (e.g. FastAPI CORSMiddleware allow_origins=["${origin}"]${credentialed ? ', allow_credentials=True' : ''})`,
      evidence,
    });
  }
  const exposure = exposedHeaders(req, res.rawHeaders, res.status);
  if (exposure.missing.length > 0) {
    return finding({
      id: ID,
      target: 'rag',
      status: 'fail',
      title,
      expected: `${expected}, and Access-Control-Expose-Headers listing ${exposure.missing.join(', ')}`,
      observed: `${v.reason}, but the app reads ${exposure.missing.join(', ')}, which the page cannot see (response.headers.get() returns null): ${exposure.reason}`,
      remedy: `Access-Control-Expose-Headers: ${exposure.missing.join(', ')} on the stream response (FastAPI CORSMiddleware expose_headers=[...])`,
      evidence: { ...evidence, ref: 'R-EXP-1', readable: exposure.readable },
    });
  }
  return finding({ id: ID, target: 'rag', status: 'pass', title, expected, observed: v.reason, evidence: { ...evidence, ...(viaFetch && { readable: exposure.readable }) } });
}
