import { finding, type Finding, type JsonValue } from '../../core/finding.js';
import { type CallVerdict, classifyFetch, describe } from './classify.js';
import { judgeStreamCall } from './rules-stream.js';
import type { BrowserObservation, FetchOutcome, OriginRun } from './types.js';

export interface BrowserExpectation {
  origin: string;
  foreignOrigin: string;
  apiPath: string;
  /** How the app opens the answer stream; absent: EventSource. */
  streamTransport?: 'eventsource' | 'fetch';
}

const APP_CALLS = ['browser.preflight', 'browser.fetch', 'browser.eventsource'] as const;

const pathOf = (url: string) => new URL(url).pathname;
const unreachable = (...vs: CallVerdict[]) => vs.some((v) => v.kind === 'network' && v.unreachable) || undefined;
const REACH = 'check that the URL is right and the service is up and reachable from this machine';
/** A CORS fix only helps when the browser got an answer; otherwise the fix is reaching the service. */
const remedyFor = (vs: CallVerdict[], cors: string) => (vs.some((v) => v.kind === 'cors' || v.kind === 'unexplained') ? cors : vs.some((v) => v.kind === 'network') ? REACH : cors);

export function callEvidence(out: FetchOutcome, v: CallVerdict, extra: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const evidence: Record<string, JsonValue> = {
    request: `${out.method} ${out.url}`,
    credentials: 'include',
    readable: out.readable,
    status: out.status ?? null,
    verdict: describe(v),
  };
  if (v.kind === 'cors' || v.kind === 'rejected') evidence.console = v.message;
  return { ...evidence, ...extra };
}

/** What the browser decided, per finding id (README: browser command; docs/checks.md: browser.*). */
export function judgeBrowser(obs: BrowserObservation, exp: BrowserExpectation): Finding[] {
  return [...judgeApp(obs.app, exp), ...judgeForeign(obs.foreign, exp)];
}

function pageFailure(run: OriginRun): Finding {
  return finding({
    id: 'browser.page',
    target: 'gateway',
    status: 'fail',
    title: `Chromium opened the page as ${run.origin} and ran the app's calls`,
    expected: `the page at ${run.origin} loads from the loopback page server and its calls finish`,
    observed: run.error ?? 'no result',
    remedy: "an environment problem, not a target verdict: see the audit log for Chromium's console; rerun with a larger --timeout on a loaded machine",
    evidence: { console: run.console.map((c) => c.text).slice(0, 10) },
  });
}

function judgeApp(run: OriginRun, exp: BrowserExpectation): Finding[] {
  if (!run.calls) {
    const ids = APP_CALLS.map((id) => (id === 'browser.eventsource' && exp.streamTransport === 'fetch' ? 'browser.fetch-stream' : id));
    const skip = (id: string) =>
      finding({
        id,
        target: id.startsWith('browser.eventsource') || id === 'browser.fetch-stream' ? 'rag' : 'gateway',
        status: 'skip',
        title: `${id}: not observed`,
        expected: 'the page ran the call',
        observed: `the page did not run: ${run.error ?? 'no result'}`,
      });
    return [pageFailure(run), ...ids.map(skip)];
  }
  const post = classifyFetch(run.calls.post, run.console);
  const get = classifyFetch(run.calls.get, run.console);
  return [judgePreflight(run.calls.post, post, exp), judgeFetch(run.calls.post, post, run.calls.get, get, exp), judgeStreamCall(run.calls.stream, run.console, exp)];
}

function judgePreflight(out: FetchOutcome, v: CallVerdict, exp: BrowserExpectation): Finding {
  const passed = v.kind === 'readable' || (v.kind === 'cors' && !v.preflight);
  const observed =
    v.kind === 'readable'
      ? `the preflight passed and the POST was sent (${v.status})`
      : v.kind === 'cors' && !v.preflight
        ? 'the preflight passed; the actual response was blocked (see browser.fetch)'
        : describe(v);
  return finding({
    id: 'browser.preflight',
    target: 'gateway',
    status: passed ? 'pass' : 'fail',
    title: passed
      ? `Chromium's preflight for POST ${exp.apiPath} passed`
      : v.kind === 'network'
        ? `the gateway did not answer Chromium's preflight for POST ${exp.apiPath}`
        : `Chromium blocked the preflight for POST ${exp.apiPath}`,
    expected: `OPTIONS ${exp.apiPath} (Access-Control-Request-Method: POST, -Headers: authorization,content-type) answered 2xx with Access-Control-Allow-Origin: ${exp.origin}, Access-Control-Allow-Credentials: true, and authorization allowed`,
    observed,
    remedy: passed
      ? undefined
      : remedyFor(
          [v],
          `answer the preflight before any auth or security layer: 204 with Access-Control-Allow-Origin: ${exp.origin}, Access-Control-Allow-Credentials: true, Access-Control-Allow-Methods: GET, POST, OPTIONS, Access-Control-Allow-Headers: Content-Type, Authorization`,
        ),
    evidence: callEvidence(out, v, { requestHeaders: 'Content-Type: application/json, Authorization: Bearer …' }),
    unreachable: unreachable(v),
  });
}

function judgeFetch(post: FetchOutcome, pv: CallVerdict, get: FetchOutcome, gv: CallVerdict, exp: BrowserExpectation): Finding {
  const passed = pv.kind === 'readable' && gv.kind === 'readable';
  return finding({
    id: 'browser.fetch',
    target: 'gateway',
    status: passed ? 'pass' : 'fail',
    title: passed
      ? "the page could read the gateway's credentialed responses"
      : unreachable(pv, gv)
        ? 'the gateway did not answer the page'
        : 'Chromium hid a gateway response from the page',
    expected: `POST ${exp.apiPath} and GET ${pathOf(get.url)} with credentials: 'include' are readable from ${exp.origin}`,
    observed: `POST ${pathOf(post.url)}: ${pv.kind === 'cors' && pv.preflight ? 'never sent, its preflight was blocked (browser.preflight)' : describe(pv)}; GET ${pathOf(get.url)}: ${describe(gv)}`,
    remedy: passed
      ? undefined
      : remedyFor([pv, gv], `send Access-Control-Allow-Origin: ${exp.origin} and Access-Control-Allow-Credentials: true on every gateway response (errors too), with Vary: Origin`),
    evidence: { post: callEvidence(post, pv), get: callEvidence(get, gv) },
    unreachable: unreachable(pv, gv),
  });
}

/** The attacker's page: it must not be able to read any credentialed response. */
function judgeForeign(run: OriginRun, exp: BrowserExpectation): Finding[] {
  if (!run.calls)
    return [
      pageFailure(run),
      finding({
        id: 'browser.foreign-origin',
        target: 'gateway',
        status: 'skip',
        title: 'browser.foreign-origin: not observed',
        expected: 'the foreign page ran the calls',
        observed: `the page did not run: ${run.error ?? 'no result'}`,
      }),
    ];
  const post = classifyFetch(run.calls.post, run.console);
  const get = classifyFetch(run.calls.get, run.console);
  const leaked = [[run.calls.post, post] as const, [run.calls.get, get] as const].filter(([, v]) => v.kind === 'readable');
  const stream = run.calls.stream;
  const evidence = {
    post: callEvidence(run.calls.post, post),
    get: callEvidence(run.calls.get, get),
    ...(stream.transport === 'fetch'
      ? { fetchStream: `${stream.opened ? 'readable' : 'not readable'} with a dummy token` }
      : { eventsource: `${stream.opened ? 'readable' : 'not readable'} (anonymous, no credentials: not a leak by itself)` }),
  };
  const base = { id: 'browser.foreign-origin', target: 'gateway' as const, expected: `a page at ${exp.foreignOrigin} cannot read the gateway's credentialed responses`, evidence };
  if (leaked.length) {
    return [
      finding({
        ...base,
        status: 'fail',
        severity: 'critical',
        title: `Chromium let ${exp.foreignOrigin} read credentialed gateway responses`,
        observed: leaked.map(([out, v]) => `${out.method} ${pathOf(out.url)}: ${describe(v)}`).join('; '),
        remedy: `allow only ${exp.origin}: compare the Origin header byte-for-byte with an allow-list, never echo it back unchecked; any site a user visits could otherwise act and read as that user`,
      }),
    ];
  }
  if (post.kind === 'network' && get.kind === 'network') {
    return [finding({ ...base, status: 'skip', title: 'browser.foreign-origin: the gateway did not answer', observed: `POST: ${describe(post)}; GET: ${describe(get)}` })];
  }
  return [
    finding({
      ...base,
      status: 'pass',
      title: `Chromium kept ${exp.foreignOrigin} from reading credentialed gateway responses`,
      observed: `POST ${exp.apiPath}: ${describe(post)}; GET ${pathOf(run.calls.get.url)}: ${describe(get)}`,
    }),
  ];
}
