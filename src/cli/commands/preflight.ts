import type { Action } from '../program.js';
import { runSession } from '../session.js';

const preflight: Action = (flags) =>
  runSession('preflight', flags, async () => {
    const { preflightCheck } = await import('../../checks/cors/index.js');
    return [preflightCheck];
  });

export default preflight;
