/**
 * The CORS checks the commands run: probes (probe.ts) send what plan.ts describes, the pure
 * judges (judge/) decide, with the Fetch algorithms of src/fetch. `preflight` judges the OPTIONS before the API call; `headers` judges
 * the actual responses, error responses, gateway/RAG agreement and the hostile-origin probes.
 */
import type { Finding } from '../../core/finding.js';
import { type Check, type CheckContext, isWaived } from '../runner.js';
import type { Exchange } from '../../http/client.js';
import { skipped, WAIVED } from '../../core/verdicts.js';
import { judgeActual, judgeErrorResponse } from './judge/actual.js';
import { judgeDivergence } from './judge/divergence.js';
import { judgeProbePair } from './judge/hostile-origin.js';
import { PREFLIGHT_IDS, judgePreflight } from './judge/preflight.js';
import { judgeSecurityHeaders } from './judge/security.js';
import { worstPerId } from './judge/shape.js';
import { type AppCalls, NOT_FOUND_PURPOSE, type PlannedRequest, appCalls, errorPlans, meaninglessPlanned, plannedProbes, preflightPlan } from './plan.js';
import { send, sendProbes } from './probe.js';
import { preflightNeeded } from '../../fetch/request.js';

/** The preflight findings of one call, or a skip per id saying why the browser sends none. */
async function callPreflight(ctx: CheckContext, call: PlannedRequest): Promise<Finding[]> {
  const need = preflightNeeded(call.browser);
  if (!need.needed) {
    const reason = `the app's ${call.browser.method} ${call.url} needs no preflight: ${need.reason}`;
    return PREFLIGHT_IDS.map((id) => skipped(id, call.target, 'CORS preflight', reason));
  }
  return judgePreflight(await send(ctx, preflightPlan(call)), call.browser);
}

export const preflightCheck: Check = {
  id: 'cors.preflight',
  title: 'CORS preflight of the API call (and of a fetch() answer stream)',
  async run(ctx) {
    const calls = appCalls(ctx.config);
    // An EventSource GET is never preflighted (R-ES-4); a fetch() POST with a token always is (R-REQ-4).
    const stream = ctx.config.stream.transport === 'fetch' ? [calls.stream] : [];
    return (await Promise.all([calls.api, ...stream].map((call) => callPreflight(ctx, call)))).flat();
  },
};

/** Requests 1-3 at once; the stream only up to its response head. */
async function sendCalls(ctx: CheckContext, calls: AppCalls): Promise<Record<keyof AppCalls, Exchange>> {
  const [api, health, stream] = await Promise.all([send(ctx, calls.api), send(ctx, calls.health), send(ctx, calls.stream, { headOnly: true })]);
  return { api, health, stream };
}

function probesNotSent(title: string, reason: string): Finding[] {
  return [skipped('cors.probe', 'gateway', title, reason)];
}

/** The probe findings, or one `cors.probe` skip saying why (some or all) were not sent. */
async function probeFindings(ctx: CheckContext, calls: AppCalls, gatewayAnswered: boolean): Promise<Finding[]> {
  if (!ctx.config.cors.probes) return probesNotSent('misconfiguration probes', 'disabled in the config (cors.probes: false)');
  if (!gatewayAnswered) return probesNotSent('misconfiguration probes', `not sent: ${calls.health.url} did not answer`);
  const planned = plannedProbes(ctx.config);
  // Waived probes are not even sent, so `--skip cors.probe.platform` also saves the requests.
  const waived = planned.filter((p) => isWaived(`cors.probe.${p.kind}`, ctx.config.skip));
  const wanted = planned.filter((p) => !waived.includes(p));
  // A fetch() stream is a second credentialed endpoint the hostile origins must not read.
  const endpoints = [calls.health, ...(ctx.config.stream.transport === 'fetch' ? [calls.stream] : [])];
  const exchanges = [];
  // One endpoint after the other: PROBE_CONCURRENCY requests at a time in all.
  for (const endpoint of endpoints) exchanges.push(...(await sendProbes(ctx, wanted, endpoint)));
  const meaningless = meaninglessPlanned(ctx.config).map((m) => skipped(`cors.probe.${m.kind}`, 'gateway', `misconfiguration probe ${m.kind}`, `not sent: ${m.reason}`));
  const found = [...exchanges.flatMap((x) => judgeProbePair(x.probe, x.anon, x.credentialed)), ...meaningless];
  if (waived.length === 0) return found;
  const kinds = waived.map((p) => p.kind).join(', ');
  return [...found, ...probesNotSent(`${waived.length} misconfiguration probes`, `${WAIVED}; nothing sent (${kinds})`)];
}

export const headersCheck: Check = {
  // `cors` and not `cors.headers`: this check also yields cors.vary, cors.probe.*, security.headers...
  id: 'cors',
  title: 'CORS headers and misconfiguration probes',
  async run(ctx) {
    const calls = appCalls(ctx.config);
    const errors = errorPlans(ctx.config, calls);
    const [sent, errorAnswers] = await Promise.all([sendCalls(ctx, calls), Promise.all(errors.map(async (plan) => ({ plan, obs: await send(ctx, plan) })))]);
    const perResponse = worstPerId([
      ...judgeActual(sent.api, calls.api.browser, 'api'),
      ...judgeActual(sent.health, calls.health.browser, 'health'),
      ...judgeActual(sent.stream, calls.stream.browser, 'stream'),
      ...errorAnswers.flatMap(({ plan, obs }) => judgeErrorResponse(obs, plan.browser, plan.purpose === NOT_FOUND_PURPOSE ? 'unknown-path' : 'met')),
    ]);
    return [
      ...perResponse,
      ...judgeDivergence(sent.health, sent.stream, ctx.config.origin),
      ...judgeSecurityHeaders(sent.health),
      ...judgeSecurityHeaders(sent.stream),
      ...(await probeFindings(ctx, calls, sent.health.response !== undefined)),
    ];
  },
};
