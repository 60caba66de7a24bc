import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** The answer stream: frames, done, timing, buffering, CORS, reconnect, empty query, then disconnect cleanup. */
const stream: Action = (flags) =>
  runSession('stream', flags, async () => {
    const { STREAM_CHECKS } = await import('../../checks/stream/index.js');
    return [...STREAM_CHECKS];
  });

export default stream;
