/**
 * From the config to the requests that matter (pure): each app call as the page writes it (the
 * model the rules judge) and as it reaches the wire, the deliberately failing requests, and the
 * probe requests. No I/O here; probe.ts sends what this file describes.
 */
import { type Config, crossSection } from '../config.js';
import type { TargetName } from '../../core/finding.js';
import { streamUrl, targetUrl } from '../target.js';
import { streamCall, withoutSecrets } from '../stream-call.js';
import type { AppRequestConfig, AppRequestName } from './config.js';
import { DUMMY_BEARER } from './config.js';
import { type Probe, meaninglessProbes, probeOrigins } from './hostile-origins/origins.js';
import { HOSTING_PLATFORMS } from './hostile-origins/platforms.js';
import { type BrowserRequest, actualRequest, preflightRequest } from '../../fetch/request.js';

/** One request to send: what goes on the wire, and the browser request it stands for. */
export interface PlannedRequest {
  purpose: string;
  target: TargetName;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The request as the page makes it, for the rules. */
  browser: BrowserRequest;
}

/** A path no app serves, to make the server produce its 404 (`cors.error-response`). */
export const NOT_FOUND_PATH = '/zantara-audit-cors-check-404';
/** The purpose of those 404 requests: an error the app does not meet on its own calls. */
export const NOT_FOUND_PURPOSE = 'cors.error.not-found';
/** Dummy credentials for probes: a server that varies its answer on a cookie shows it */
export const PROBE_CREDENTIALS = { Cookie: 'session=zantara-audit-probe', Authorization: DUMMY_BEARER } as const;

/** Headers by name, case-insensitively: later sources replace earlier ones (a configured token replaces the dummy). */
export function mergeHeaders(...sources: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const byName = new Map<string, [string, string]>();
  for (const source of sources) for (const [name, value] of Object.entries(source)) byName.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(byName.values());
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([n]) => n.toLowerCase() !== name));
}

function browserRequest(config: Config, url: string, r: AppRequestConfig): BrowserRequest {
  const req: BrowserRequest = { origin: config.origin, method: r.method, url, headers: r.headers, credentials: r.credentials };
  if (r.readsHeaders.length > 0) req.readsHeaders = r.readsHeaders;
  return req;
}

/**
 * What the browser puts on the wire for `browser`. A credentialed call also carries the
 * configured (secret) headers, which stand in for the user's session; an uncredentialed one
 * never does. `extra` is what the user agent adds after the preflight decision.
 */
function onTheWire(config: Config, purpose: string, target: TargetName, browser: BrowserRequest, body: string, extra: Record<string, string> = {}): PlannedRequest {
  const sent = actualRequest(browser);
  const secrets = browser.credentials === 'include' ? config.headers : {};
  const planned: PlannedRequest = { purpose, target, method: sent.method, url: sent.url, headers: mergeHeaders(sent.headers, extra, secrets), browser };
  if (body !== '' && sent.method !== 'GET' && sent.method !== 'HEAD') planned.body = body;
  return planned;
}

export type AppCalls = Record<AppRequestName, PlannedRequest>;

/**
 * The answer stream as the app's fetch() sends it (`stream.transport: fetch`): the stream
 * section's method, body, author headers with the token, credentials mode and the headers it reads.
 */
function fetchStreamCall(config: Config): PlannedRequest {
  const call = streamCall(config, config.stream.query);
  const browser: BrowserRequest = { origin: config.origin, method: call.method, url: call.url, headers: call.headers, credentials: call.credentials };
  if (call.exposeHeaders.length > 0) browser.readsHeaders = call.exposeHeaders;
  return onTheWire(config, 'cors.actual.stream', 'rag', browser, call.body ?? '');
}

/** Requests 1-3 of the issue: the API call, the credentialed GET, the answer stream (EventSource, or the app's fetch()). */
export function appCalls(config: Config): AppCalls {
  if (config.stream.transport === 'fetch') return { ...eventSourceCalls(config), stream: fetchStreamCall(config) };
  return eventSourceCalls(config);
}

function eventSourceCalls(config: Config): AppCalls {
  const r = config.cors.requests;
  return {
    api: onTheWire(config, 'cors.actual.api', 'gateway', browserRequest(config, targetUrl(config, 'gateway', config.cors.apiPath), r.api), r.api.body),
    health: onTheWire(config, 'cors.actual.health', 'gateway', browserRequest(config, targetUrl(config, 'gateway', crossSection.appGetPath(config)), r.health), r.health.body),
    // An EventSource's cache mode is no-store: the UA adds these after deciding on a preflight (R-ES-3).
    stream: onTheWire(
      config,
      'cors.actual.stream',
      'rag',
      browserRequest(config, r.stream.path ? targetUrl(config, 'rag', r.stream.path) : streamUrl(config, config.stream.query), r.stream),
      r.stream.body,
      { 'Cache-Control': 'no-cache', Pragma: 'no-cache' },
    ),
  };
}

/** The OPTIONS a browser sends before `call` (`#cors-preflight-fetch-0`): no cookie, no Authorization. */
export function preflightPlan(call: PlannedRequest): PlannedRequest {
  const sent = preflightRequest(call.browser);
  return { purpose: 'cors.preflight', target: call.target, method: sent.method, url: sent.url, headers: sent.headers, browser: call.browser };
}

/**
 * Requests that make each service answer an error, whose CORS headers the app needs to see the
 * status (R-CHK-8): the API call without its Authorization (401), the stream asked an empty question
 * (the backend's 400), and an unknown path (404).
 */
export function errorPlans(config: Config, calls: AppCalls): PlannedRequest[] {
  const plans: PlannedRequest[] = [];
  const noToken = { ...config, headers: withoutHeader(config.headers, 'authorization') };
  // The API call, and a fetch() stream that sends a token, each without it: the 401 the app must be able to read.
  for (const call of [calls.api, ...(config.stream.transport === 'fetch' ? [calls.stream] : [])]) {
    if (!Object.keys(call.headers).some((n) => n.toLowerCase() === 'authorization')) continue;
    const browser = { ...call.browser, headers: withoutHeader(call.browser.headers, 'authorization') };
    plans.push(onTheWire(noToken, 'cors.error.unauthorized', call.target, browser, call.body ?? ''));
  }
  const notFound = (target: TargetName, from: PlannedRequest): PlannedRequest => {
    const browser: BrowserRequest = { origin: config.origin, method: 'GET', url: targetUrl(config, target, NOT_FOUND_PATH), headers: {}, credentials: from.browser.credentials };
    return onTheWire(config, NOT_FOUND_PURPOSE, target, browser, '');
  };
  // The EventSource stream's own error: the app opens it with whatever the user typed, and the
  // backend answers an empty question 400 (sse.empty-query). The app meets it, so it must be readable.
  // (A fetch() stream's error the app meets is its 401 without the token, above.)
  if (config.stream.transport !== 'fetch' && !config.cors.requests.stream.path) {
    const stream = calls.stream;
    plans.push(
      onTheWire(config, 'cors.error.stream', 'rag', { ...stream.browser, url: streamUrl(config, '') }, stream.body ?? '', { 'Cache-Control': 'no-cache', Pragma: 'no-cache' }),
    );
  }
  plans.push(notFound('gateway', calls.health), notFound('rag', calls.stream));
  return plans;
}

/** The probe origins the config asks for; `[]` when probes are off. */
export function plannedProbes(config: Config): Probe[] {
  if (!config.cors.probes) return [];
  const wanted = config.cors.platforms;
  const platforms = wanted === 'all' ? HOSTING_PLATFORMS : HOSTING_PLATFORMS.filter((p) => wanted.includes(p.suffix));
  return probeOrigins(config.origin, { attackerDomain: config.cors.attackerDomain, platforms });
}

/** Probe kinds that mean nothing for the configured origin, reported as `skip` with the reason; `[]` when probes are off. */
export function meaninglessPlanned(config: Config): Array<{ kind: string; reason: string }> {
  return config.cors.probes ? meaninglessProbes(config.origin, { attackerDomain: config.cors.attackerDomain }) : [];
}

/**
 * A probe is a simple GET of the credentialed endpoint (no preflight, no side effects) from a
 * hostile origin, once without and once with dummy credentials. Never the configured secrets:
 * they are the user's, not the attacker's.
 */
export function probePlans(probe: Probe, endpoint: PlannedRequest): [anon: PlannedRequest, credentialed: PlannedRequest] {
  const make = (credentialed: boolean): PlannedRequest => {
    const browser: BrowserRequest = { origin: probe.origin, method: 'GET', url: endpoint.url, headers: {}, credentials: credentialed ? 'include' : 'omit' };
    const headers: Record<string, string> = { Accept: '*/*', Origin: probe.origin, ...(credentialed ? PROBE_CREDENTIALS : {}) };
    return { purpose: `cors.probe.${probe.kind}${credentialed ? '.credentialed' : ''}`, target: endpoint.target, method: 'GET', url: endpoint.url, headers, browser };
  };
  return [make(false), make(true)];
}

/**
 * The app's fetch() stream call made by a page at the probe origin (`browser.agreement`): its
 * method, body, author headers and credentials mode, but never the user's secrets (the page's
 * script is the attacker's: placeholders under the same names, so the preflight is the same) and
 * no cookie (the browser's replay page has none either).
 */
export function fetchStreamProbePlan(config: Config, probe: Probe): PlannedRequest {
  const call = streamCall(config, config.stream.query);
  const headers = withoutSecrets(call, config.headers);
  const browser: BrowserRequest = { origin: probe.origin, method: call.method, url: call.url, headers, credentials: call.credentials };
  return onTheWire({ ...config, headers: {} }, `cors.probe.${probe.kind}.fetch-stream`, 'rag', browser, call.body ?? '');
}
