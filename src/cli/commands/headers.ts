import { CHECK_SETS } from '../check-sets.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

const headers: Action = (flags) => runSession('headers', flags, CHECK_SETS.headers);

export default headers;
