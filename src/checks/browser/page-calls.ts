import type { DoneMatcher } from '../../sse/done.js';
import type { FetchOutcome, PageCallsParams, PageOutcome, StreamOutcome } from './types.js';

/**
 * Runs inside the page (Playwright serialises it with Function#toString), so it must be
 * self-contained: no imports, no helpers from this module, only browser globals. These are the
 * web app's real calls: a preflighted credentialed POST, a credentialed GET, and the answer
 * stream through EventSource without credentials. Each has its own deadline.
 */
export async function pageCalls(p: PageCallsParams): Promise<PageOutcome> {
  const call = async (method: string, url: string, init: RequestInit): Promise<FetchOutcome> => {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), p.callTimeoutMs);
    const ms = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(url, { ...init, method, credentials: 'include', signal: controller.signal });
      const text = await res.text();
      return { method, url, readable: true, status: res.status, bodySnippet: text.slice(0, 200), timedOut: false, ms: ms() };
    } catch (err) {
      return { method, url, readable: false, error: String(err), timedOut: controller.signal.aborted, ms: ms() };
    } finally {
      clearTimeout(timer);
    }
  };

  const stream = (url: string): Promise<StreamOutcome> =>
    new Promise((resolve) => {
      const started = performance.now();
      const kinds: Record<string, number> = {};
      let events = 0;
      let opened = false;
      let doneSeen = false;
      let finished = false;
      const es = new EventSource(url, { withCredentials: false });
      const finish = (end: StreamOutcome['end']) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const readyState = es.readyState;
        // Close on done (and on anything else): otherwise EventSource reconnects and the answer is generated again.
        es.close();
        resolve({ url, opened, events, kinds, doneSeen, end, readyState, ms: Math.round(performance.now() - started) });
      };
      const timer = setTimeout(() => finish('timeout'), p.streamTimeoutMs);
      const count = (kind: string) => {
        events++;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      };
      es.onopen = () => {
        opened = true;
      };
      // The configured done rule, judged by the same matcher as the stream and load checks (sent as source:
      // this function can import nothing). A named event reaches the page only through a listener for its
      // name, so the page listens for the rule's event names besides unnamed messages.
      const matches = new Function(`return (${p.stream.matchesDoneSource})`)() as (m: DoneMatcher, type: string, data: string, json: unknown) => boolean;
      const onEvent = (e: MessageEvent<string>) => {
        let json: unknown;
        try {
          json = JSON.parse(e.data);
        } catch {
          json = undefined;
        }
        const isDone = p.stream.done.some((m) => matches(m, e.type, e.data, json));
        const typed = e.type === 'message' && json && typeof json === 'object' && typeof (json as { type?: unknown }).type === 'string' ? (json as { type: string }).type : undefined;
        count(isDone ? 'done' : (typed ?? e.type));
        if (isDone) {
          doneSeen = true;
          finish('done');
        } else if (events >= p.maxEvents) finish('cap');
      };
      es.onmessage = onEvent;
      for (const m of p.stream.done) if (m.kind === 'event' && m.name !== 'message' && m.name !== 'error' && m.name !== 'open') es.addEventListener(m.name, onEvent);
      es.onerror = () => finish('error');
    });

  const post = await call('POST', p.post.url, {
    headers: { 'Content-Type': 'application/json', Authorization: p.post.authorization },
    body: p.post.body,
  });
  const get = await call('GET', p.get.url, {});
  return { post, get, stream: await stream(p.stream.url) };
}
