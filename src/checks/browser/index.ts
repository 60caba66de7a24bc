/**
 * The browser area's door: headless Chromium runs the web app's calls from the configured origin
 * and a foreign one. playwright-core is loaded only when the check runs (loadChromiumDriver).
 */
export { browserCheck, impersonationProblem } from './check.js';
export { loadChromiumDriver, resolveChromium } from './chromium.js';
export { findOnPath } from './tls.js';
