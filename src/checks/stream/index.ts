/**
 * The stream area's door: the answer stream read as a browser's EventSource reads it (src/sse),
 * its empty-query error, and disconnect cleanup.
 */
export { STREAM_CHECKS, streamCheck, emptyQueryCheck, disconnectCheck } from './check.js';
export type { StreamObservation } from './types.js';
