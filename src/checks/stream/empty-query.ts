/**
 * `sse.empty-query`: a request the backend cannot answer must get a clear 4xx JSON error (the
 * production backend answers 400), not a server crash (5xx) and not an answer stream.
 */
import { extractMimeEssence } from '../../fetch/mime.js';
import { finding, type Finding } from '../../core/finding.js';
import { noResponse } from '../../core/verdicts.js';
import { show } from './context.js';
import type { StreamObservation } from './types.js';

const ID = 'sse.empty-query';
const TITLE = 'an empty query gets a 4xx JSON error';
const EXPECTED = '4xx with a JSON body, e.g. 400 {"detail": "query must not be empty"}';

export function judgeEmptyQuery(obs: StreamObservation): Finding {
  const base = { id: ID, target: 'rag' as const, title: TITLE, expected: EXPECTED, evidence: { request: `${obs.request.method} ${obs.request.url}` } };
  const res = obs.response;
  if (!res) return noResponse(ID, TITLE, obs, { expected: EXPECTED, remedy: 'check the URL and that the RAG service is up and reachable from here' });
  const type = extractMimeEssence(res.headers['content-type']);
  const body = res.bodyExcerpt ? ` ${show(res.bodyExcerpt, 160)}` : '';
  const observed = `${res.status} ${type ?? '(no Content-Type)'}${body}`;
  const evidence = { ...base.evidence, status: res.status, 'content-type': res.headers['content-type'] ?? null };
  if (res.status >= 500) {
    return finding({
      ...base,
      status: 'fail',
      observed,
      evidence,
      remedy: 'validate the query before starting the answer and answer 400 {"detail": "..."}; a 5xx means an unhandled error (and alerts and retries)',
    });
  }
  if (res.status >= 400 && res.status < 500) {
    if (type === 'application/json' || type?.endsWith('+json')) return finding({ ...base, status: 'pass', observed, evidence });
    return finding({ ...base, status: 'warn', observed, evidence, remedy: 'send the error as JSON ({"detail": "..."}), so the web app can show the message' });
  }
  if (res.status === 200 && type === 'text/event-stream') {
    return finding({
      ...base,
      status: 'warn',
      observed: `200 text/event-stream: the empty query is answered (${obs.record?.events.length ?? 0} event(s) read before we stopped)`,
      evidence,
      remedy: 'reject an empty query with 400 {"detail": "query must not be empty"} before calling the model',
    });
  }
  return finding({ ...base, status: 'warn', observed, evidence, remedy: 'reject an empty query with 400 and a JSON body' });
}
