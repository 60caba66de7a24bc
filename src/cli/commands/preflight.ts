import { CHECK_SETS } from '../check-sets.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

const preflight: Action = (flags) => runSession('preflight', flags, CHECK_SETS.preflight);

export default preflight;
