import type { Action } from '../program.js';
import { runSession } from '../session.js';

const headers: Action = (flags) =>
  runSession('headers', flags, async () => {
    const { headersCheck } = await import('../../checks/cors/index.js');
    return [headersCheck];
  });

export default headers;
