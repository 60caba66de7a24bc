import { CHECK_SETS } from '../check-sets.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** The answer stream: frames, done, timing, buffering, CORS, reconnect, empty query, then disconnect cleanup. */
const stream: Action = (flags) => runSession('stream', flags, CHECK_SETS.stream);

export default stream;
