import type { Action } from '../program.js';
import { runSession } from '../session.js';

const preflight: Action = (flags) =>
  runSession('preflight', flags, async () => {
    const { preflightCheck } = await import('../../checks/cors/checks.js');
    return [preflightCheck];
  });

export default preflight;
