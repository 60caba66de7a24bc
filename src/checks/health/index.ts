/** The health area's door: `GET <target>/health` on both targets, judged by rules.ts. */
export { healthCheck } from './check.js';
