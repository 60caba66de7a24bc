/**
 * The CORS area's door, the one module the commands import: the checks `preflight` and `headers`.
 * Inside: plan.ts (what is sent), probe.ts (I/O), hostile-origins/ (the origins we play the
 * attacker with), judge/ (pure judges, one file per question). The Fetch algorithms they apply
 * live below the checks, in src/fetch.
 */
export { headersCheck, preflightCheck } from './check.js';
/** For `browser`: the hostile origins the probes send, and the rules' verdict on each (browser.agreement). */
export { plannedProbes } from './plan.js';
export { probeReadability } from './probe-readability.js';
