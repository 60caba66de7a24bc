/**
 * The stream rules: pure judges from one StreamObservation and the expectation to findings, in
 * the order a reader meets the problems (response gate, then the events, then timing).
 */
import type { Finding } from '../../core/finding.js';
import { judgeBuffering } from './buffering.js';
import { createContext } from './context.js';
import { judgeDone } from './done.js';
import { judgeE2e, judgeItl, judgeTtft } from './latency.js';
import type { StreamExpectation } from './expectation.js';
import { judgeProtocol } from './protocol.js';
import { judgeReconnect } from './reconnect.js';
import { judgeCacheControl, judgeContentEncoding, judgeContentLength, judgeContentType, judgeStatus } from './response.js';
import { judgeFirstEvent, judgeGaps, judgeHeartbeat } from './timing.js';
import type { StreamObservation } from './types.js';

export const STREAM_JUDGES = [
  judgeStatus,
  judgeContentType,
  judgeCacheControl,
  judgeContentEncoding,
  judgeContentLength,
  judgeDone,
  judgeProtocol,
  judgeFirstEvent,
  judgeTtft,
  judgeGaps,
  judgeItl,
  judgeE2e,
  judgeBuffering,
  judgeHeartbeat,
  judgeReconnect,
] as const;

/** Every stream finding for one observation; each id appears exactly once. */
export function judgeStream(obs: StreamObservation, exp: StreamExpectation): Finding[] {
  const ctx = createContext(obs, exp);
  return STREAM_JUDGES.map((judge) => judge(ctx));
}

export { createContext, type StreamContext } from './context.js';
export { judgeTtft, judgeItl, judgeE2e };
export { judgeBuffering, judgeDone, judgeProtocol, judgeReconnect, judgeFirstEvent, judgeGaps, judgeHeartbeat };
export { judgeStatus, judgeContentType, judgeCacheControl, judgeContentEncoding, judgeContentLength };
export * from './expectation.js';
export type { StreamObservation, StreamResponseHead } from './types.js';
