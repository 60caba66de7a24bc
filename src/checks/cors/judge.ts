/**
 * Pure judges: observations in, Findings out, so the probes only do I/O and a saved audit log
 * can be judged again. Stable ids are documented in docs/checks.md (CORS section).
 */
export { PREFLIGHT_IDS, judgePreflight } from './judge-preflight.js';
export { judgeActual, judgeErrorResponse } from './judge-actual.js';
export { judgeDivergence } from './judge-divergence.js';
export { judgeProbe, judgeProbePair, probeSeverity } from './judge-probe.js';
export { judgeSecurityHeaders } from './judge-security.js';
export { worstPerId } from './judge-common.js';
