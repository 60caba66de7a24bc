import { CHECK_SETS } from '../check-sets.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

const health: Action = (flags) => runSession('health', flags, CHECK_SETS.health);

export default health;
