import { UsageError } from '../../core/errors.js';
import type { Action } from '../program.js';
import { runSession } from '../session.js';

/**
 * `zantara-audit browser`: headless Chromium runs the web app's calls from a page it believes is
 * the configured origin, then from a foreign one, then replays every hostile origin the header
 * rules probe beside the rules' verdicts. Everything that can be wrong on our side — no Chromium,
 * no openssl, an origin that cannot be impersonated — exits 2 before a request.
 */
const browser: Action = async (flags) => {
  const [{ impersonationProblem, browserCheck, resolveChromium, loadChromiumDriver, findOnPath }, { plannedProbes, probeReadability }] = await Promise.all([
    import('../../checks/browser/index.js'),
    import('../../checks/cors/index.js'),
  ]);
  return runSession('browser', flags, async (config) => {
    const problem = impersonationProblem(config);
    if (problem) throw new UsageError(problem);
    const executablePath = resolveChromium(typeof flags.browserPath === 'string' ? flags.browserPath : undefined);
    const opensslPath = findOnPath('openssl');
    if (!opensslPath) throw new UsageError('browser: openssl not found on PATH (it makes the throwaway certificate for the https page)', 'apt-get install openssl');
    const driver = await loadChromiumDriver();
    // The commands wire the areas together: the cors area's probe list and verdicts, Chromium's replay.
    const replay = { probes: (c: typeof config) => plannedProbes(c).map((p) => ({ kind: p.kind, origin: p.origin })), verdicts: probeReadability };
    return [browserCheck({ driver, executablePath, opensslPath, replay })];
  });
};

export default browser;
