import { isIP } from 'node:net';
import type { BrowserType } from 'playwright-core';
import { type Config, crossSection } from '../config.js';
import { matchesDone } from '../../sse/done.js';
import { finding, type Finding } from '../../core/finding.js';
import { type Check, type CheckContext, isWaived } from '../runner.js';
import { targetUrl } from '../target.js';
import { mergeHeaderMaps, streamCall, withoutSecrets } from '../stream-call.js';
import { observeInBrowser, type BrowserPlan } from './probe.js';
import { judgeAgreement } from './rules-agreement.js';
import { judgeBrowser } from './rules.js';
import type { BrowserObservation, HostileOrigin, PageCallsParams, ProbeCallsParams, RulesProbeVerdict } from './types.js';

/** A name under a reserved TLD (RFC 2606): it never resolves, so nothing can reach a real site. */
export const FOREIGN_ORIGIN = 'https://evil.example';
const DUMMY_AUTHORIZATION = 'Bearer zantara-audit-browser-check';
const FOREIGN_AUTHORIZATION = 'Bearer zantara-audit-foreign-origin-probe';
const STREAM_DEADLINE_MS = 30_000;
const MAX_EVENTS = 10_000;

/**
 * The header rules' side of the agreement, handed in by the command (areas do not import each
 * other): the hostile origins they probe, and their verdicts on the answers Node received.
 */
export interface RulesReplay {
  probes(config: Config): HostileOrigin[];
  verdicts(ctx: CheckContext, probes: readonly HostileOrigin[]): Promise<RulesProbeVerdict[]>;
}

export interface BrowserCheckOptions {
  driver: BrowserType;
  executablePath: string;
  opensslPath?: string;
  replay?: RulesReplay;
}

/**
 * Why the origin cannot be impersonated, or undefined. Host-resolver rules map names, not IP
 * literals or `localhost` (which Chromium resolves itself), and a target on the origin's own host
 * would be mapped to the page server too.
 */
export function impersonationProblem(config: Config): string | undefined {
  const host = new URL(config.origin).hostname;
  if (isIP(host.replace(/^\[|\]$/g, '')) || host === 'localhost' || host.endsWith('.localhost')) {
    return `browser: origin ${config.origin} has no host name to impersonate; use the app's real origin (e.g. https://app.example.com)`;
  }
  const foreign = new URL(FOREIGN_ORIGIN).hostname;
  if (host === foreign) return `browser: origin ${config.origin} is the foreign origin the check plays the attacker with`;
  for (const name of ['gateway', 'rag'] as const) {
    const targetHost = new URL(config.targets[name].url).hostname;
    if (targetHost === host || targetHost === foreign) return `browser: the ${name} (${targetHost}) is on the origin's host; the page server would stand in for it`;
  }
  return undefined;
}

function pageParams(config: Config, authorization: string): PageCallsParams {
  const href = (target: 'gateway' | 'rag', path: string) => new URL(targetUrl(config, target, path)).href;
  return {
    post: { url: href('gateway', config.cors.apiPath), authorization, body: JSON.stringify({ query: config.stream.query }) },
    get: { url: href('gateway', crossSection.appGetPath(config)) },
    stream: { ...streamParams(config, authorization), done: [...config.stream.done], matchesDoneSource: matchesDone.toString() },
    callTimeoutMs: config.timeoutMs,
    streamTimeoutMs: Math.max(config.timeoutMs, STREAM_DEADLINE_MS),
    maxEvents: MAX_EVENTS,
  };
}

/** The answer stream as the page opens it; a fetch() stream carries this page's token (the foreign page never gets the real one). */
function streamParams(config: Config, authorization: string): Pick<PageCallsParams['stream'], 'url' | 'fetch'> {
  const call = streamCall(config, config.stream.query);
  if (call.transport === 'eventsource') return { url: call.url };
  const token: Record<string, string> = Object.keys(call.headers).some((n) => n.toLowerCase() === 'authorization') ? { Authorization: authorization } : {};
  return {
    url: call.url,
    fetch: {
      method: call.method,
      headers: mergeHeaderMaps(call.headers, token),
      ...(call.body !== undefined && { body: call.body }),
      credentials: call.credentials,
      format: call.format,
    },
  };
}

export function browserPlan(config: Config, options: BrowserCheckOptions, probes: readonly HostileOrigin[] = []): BrowserPlan {
  const configured = Object.entries(config.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return {
    executablePath: options.executablePath,
    opensslPath: options.opensslPath,
    origin: config.origin,
    foreignOrigin: FOREIGN_ORIGIN,
    appParams: pageParams(config, configured ?? DUMMY_AUTHORIZATION),
    // The attacker's page never gets the real token: whether it can read the answer is the question.
    foreignParams: pageParams(config, FOREIGN_AUTHORIZATION),
    probes,
    // The same credentialed endpoint the header rules probe, and the answer stream as the app opens it.
    probeParams: {
      url: new URL(targetUrl(config, 'gateway', config.cors.requests.health.path ?? config.targets.gateway.healthPath)).href,
      ...probeStreamParams(config),
      callTimeoutMs: config.timeoutMs,
    },
  };
}

/** The hostile page's stream call: EventSource, or the app's fetch() with placeholders for the user's secrets, as the header rules send it (cors/plan.ts). */
function probeStreamParams(config: Config): Pick<ProbeCallsParams, 'streamUrl' | 'fetch'> {
  const call = streamCall(config, config.stream.query);
  if (call.transport === 'eventsource') return { streamUrl: call.url };
  const fetch = {
    method: call.method,
    headers: withoutSecrets(call, config.headers),
    ...(call.body !== undefined && { body: call.body }),
    credentials: call.credentials,
    format: call.format,
  };
  return { streamUrl: call.url, fetch };
}

function launchFailure(err: unknown, options: BrowserCheckOptions): Finding {
  return finding({
    id: 'browser.launch',
    target: 'gateway',
    status: 'fail',
    title: 'Chromium started and served the page as the origin',
    expected: `${options.executablePath} starts headless and loads the page`,
    observed: err instanceof Error ? err.message : String(err),
    remedy: `check that Chromium runs here: ${options.executablePath} --headless --no-sandbox --dump-dom about:blank`,
  });
}

/** Half a browser run proves nothing either way: an interrupted run judges nothing. */
const interrupted = (): Finding =>
  finding({
    id: 'browser',
    target: 'gateway',
    status: 'skip',
    title: "a real browser runs the web app's calls",
    expected: 'the browser run completes',
    observed: 'interrupted before Chromium finished; nothing judged',
  });

export function browserCheck(options: BrowserCheckOptions): Check {
  return {
    id: 'browser',
    title: "a real browser runs the web app's calls",
    async run(ctx) {
      // As in `headers`: a waived probe is not sent, and a waived agreement replays nothing.
      const skip = ctx.config.skip;
      const probes = isWaived('browser.agreement', skip) ? [] : (options.replay?.probes(ctx.config) ?? []).filter((p) => !isWaived(`cors.probe.${p.kind}`, skip));
      // The rules' verdicts first (plain HTTP, as `headers` sends them), then the same origins in Chromium.
      const rules = options.replay && probes.length ? await options.replay.verdicts(ctx, probes) : [];
      const plan = browserPlan(ctx.config, options, probes);
      let obs: BrowserObservation;
      try {
        obs = await observeInBrowser(options.driver, plan, ctx.signal);
      } catch (err) {
        return [ctx.signal.aborted ? interrupted() : launchFailure(err, options)];
      }
      ctx.record('observation', obs);
      if (ctx.signal.aborted) return [interrupted()];
      const agreement = options.replay ? [judgeAgreement(rules, obs.probes ?? [], obs.probesMs)] : [];
      return [
        ...judgeBrowser(obs, { origin: plan.origin, foreignOrigin: plan.foreignOrigin, apiPath: ctx.config.cors.apiPath, streamTransport: ctx.config.stream.transport }),
        ...agreement,
      ];
    },
  };
}
