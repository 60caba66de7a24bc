/** One way to say "no response": a fail naming the error, or a skip when the run itself aborted the request. */
import { describe, expect, it } from 'vitest';
import { judgeHealth } from '../../src/checks/health/rules.js';
import { judgeStatus } from '../../src/checks/stream/response.js';
import { createContext } from '../../src/checks/stream/context.js';
import { streamExpectationSchema } from '../../src/checks/stream/expectation.js';
import { judgeEmptyQuery } from '../../src/checks/stream/empty-query.js';
import type { StreamObservation } from '../../src/checks/stream/types.js';
import type { TransportError } from '../../src/http/types.js';
import { httpObservation, streamObservation } from '../helpers/observations.js';

const ABORTED: TransportError = { code: 'aborted', message: 'request to rag aborted' };
const REFUSED: TransportError = { code: 'refused', message: 'connection refused at 127.0.0.1:1' };

function unanswered(error: TransportError): StreamObservation {
  const { response: _, ...rest } = streamObservation();
  return { ...rest, error, unreachable: error.code !== 'aborted' };
}

const EXP = streamExpectationSchema.parse({});

describe('no response: every area says it the same way', () => {
  it.each([
    [
      'health.status',
      () => judgeHealth(httpObservation({ error: ABORTED, unreachable: false }), { origin: 'https://a.example', latencyWarnMs: 1000 }).find((f) => f.id === 'health.status'),
      () => judgeHealth(httpObservation({ error: REFUSED }), { origin: 'https://a.example', latencyWarnMs: 1000 }).find((f) => f.id === 'health.status'),
    ],
    ['sse.status', () => judgeStatus(createContext(unanswered(ABORTED), EXP)), () => judgeStatus(createContext(unanswered(REFUSED), EXP))],
    ['sse.empty-query', () => judgeEmptyQuery(unanswered(ABORTED)), () => judgeEmptyQuery(unanswered(REFUSED))],
  ])('%s: skip at the run deadline, fail (unreachable) when refused', (_id, aborted, refused) => {
    expect(aborted()).toMatchObject({ status: 'skip', observed: expect.stringMatching(/^not judged: .*interrupted or hit its deadline/) });
    expect(refused()).toMatchObject({ status: 'fail', unreachable: true, observed: expect.stringContaining('connection refused') });
  });
});
