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
      // The three done conventions seen in the field: JSON `type: "done"`, `data: [DONE]`, `event: done`.
      es.onmessage = (e: MessageEvent<string>) => {
        let kind = 'message';
        try {
          const parsed: unknown = JSON.parse(e.data);
          if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string') kind = (parsed as { type: string }).type;
        } catch {
          if (e.data.trim() === '[DONE]') kind = 'done';
        }
        count(kind);
        if (kind === 'done') {
          doneSeen = true;
          finish('done');
        } else if (events >= p.maxEvents) finish('cap');
      };
      es.addEventListener('done', () => {
        count('done');
        doneSeen = true;
        finish('done');
      });
      es.onerror = () => finish('error');
    });

  const post = await call('POST', p.post.url, {
    headers: { 'Content-Type': 'application/json', Authorization: p.post.authorization },
    body: p.post.body,
  });
  const get = await call('GET', p.get.url, {});
  return { post, get, stream: await stream(p.stream.url) };
}
