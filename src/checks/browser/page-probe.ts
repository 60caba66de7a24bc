import type { ProbeCallsParams, ProbeOutcome, FetchOutcome } from './types.js';

/**
 * Runs inside a page at a hostile origin (Playwright serialises it, so it is self-contained): the
 * calls the header rules judge for that origin, as a real page makes them — the credentialed GET
 * of the health URL (`credentials: 'include'`), the same GET without credentials, and the answer
 * stream as the app opens it — `EventSource` (no credentials), or the app's `fetch()` with its
 * method, body, headers (placeholder secrets) and credentials — closed as soon as its fate is known.
 */
export async function probeCalls(p: ProbeCallsParams): Promise<ProbeOutcome> {
  const get = async (credentials: RequestCredentials): Promise<FetchOutcome> => {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), p.callTimeoutMs);
    const ms = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(p.url, { method: 'GET', credentials, signal: controller.signal });
      await res.text();
      return { method: 'GET', url: p.url, readable: true, status: res.status, timedOut: false, ms: ms() };
    } catch (err) {
      return { method: 'GET', url: p.url, readable: false, error: String(err), timedOut: controller.signal.aborted, ms: ms() };
    } finally {
      clearTimeout(timer);
    }
  };
  const eventSource = (): Promise<ProbeOutcome['stream']> =>
    new Promise((resolve) => {
      const started = performance.now();
      const es = new EventSource(p.streamUrl, { withCredentials: false });
      let opened = false;
      const finish = (end: 'open' | 'error' | 'timeout') => {
        clearTimeout(timer);
        es.close();
        resolve({ url: p.streamUrl, opened, end, ms: Math.round(performance.now() - started) });
      };
      const timer = setTimeout(() => finish('timeout'), p.callTimeoutMs);
      // Open means the response passed CORS and the status/type gate: all the verdict needs.
      es.onopen = () => {
        opened = true;
        finish('open');
      };
      es.onerror = () => finish('error');
    });
  // fetch() resolves once the response head passed CORS (after its preflight): all the verdict
  // needs, so the request is aborted there and the answer is never read.
  const fetchStream = async (f: NonNullable<ProbeCallsParams['fetch']>): Promise<ProbeOutcome['stream']> => {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), p.callTimeoutMs);
    const ms = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(p.streamUrl, { method: f.method, headers: f.headers, body: f.body, credentials: f.credentials, signal: controller.signal });
      controller.abort();
      return { url: p.streamUrl, opened: true, end: 'open', ms: ms(), transport: 'fetch', method: f.method, status: res.status };
    } catch (err) {
      return { url: p.streamUrl, opened: false, end: controller.signal.aborted ? 'timeout' : 'error', ms: ms(), transport: 'fetch', method: f.method, error: String(err) };
    } finally {
      clearTimeout(timer);
    }
  };
  // One after another: Chromium's console lines name the URL, not the call, and all three share it.
  const credentialed = await get('include');
  const anonymous = await get('omit');
  return { pageOrigin: self.origin, credentialed, anonymous, stream: await (p.fetch ? fetchStream(p.fetch) : eventSource()) };
}
