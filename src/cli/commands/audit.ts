import { CHECK_SETS } from '../check-sets.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

/** Every check, in an order where nothing else of ours is streaming during the disconnect check. */
const audit: Action = (flags) => runSession('audit', flags, CHECK_SETS.audit);

export default audit;
