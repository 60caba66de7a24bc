import type { DoneMatcher } from '../../sse/done.js';
import type { FetchOutcome, FetchStreamParams, PageCallsParams, PageOutcome, StreamOutcome } from './types.js';

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
        const typed =
          e.type === 'message' && json && typeof json === 'object' && typeof (json as { type?: unknown }).type === 'string' ? (json as { type: string }).type : undefined;
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

  // The app's fetch() stream: its method, headers (token), body and credentials, read with a
  // ReadableStream reader; SSE parsed as eventsource-parser does (minus reconnection) or NDJSON
  // lines; on done the app aborts its request, as an AbortController does.
  const fetchStream = async (url: string, f: FetchStreamParams): Promise<StreamOutcome> => {
    const started = performance.now();
    const kinds: Record<string, number> = {};
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), p.streamTimeoutMs);
    let events = 0;
    let opened = false;
    let doneSeen = false;
    let status: number | undefined;
    const out = (end: StreamOutcome['end'], error?: string): StreamOutcome => ({
      url,
      opened,
      events,
      kinds,
      doneSeen,
      end,
      readyState: 2,
      ms: Math.round(performance.now() - started),
      transport: 'fetch',
      ...(status !== undefined && { status }),
      ...(error !== undefined && { error }),
    });
    /** Count one dispatched message; true when the app stops reading (done, or the cap). */
    // The configured done rule, decided by the same matcher as the stream check (see `stream` above).
    const matches = new Function(`return (${p.stream.matchesDoneSource})`)() as (m: DoneMatcher, type: string, data: string, json: unknown) => boolean;
    const seen = (type: string, data: string): boolean => {
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        json = undefined;
      }
      const typed = json && typeof json === 'object' && typeof (json as { type?: unknown }).type === 'string' ? (json as { type: string }).type : undefined;
      const isDone = p.stream.done.some((m) => matches(m, type, data, json));
      events++;
      const kind = isDone ? 'done' : (typed ?? type);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      if (isDone) doneSeen = true;
      return doneSeen || events >= p.maxEvents;
    };
    try {
      const res = await fetch(url, { method: f.method, headers: f.headers, body: f.body, credentials: f.credentials, signal: controller.signal });
      status = res.status;
      if (!res.ok || !res.body) return out('error');
      opened = true;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let rest = '';
      let data: string[] = [];
      let type = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return out('closed');
        rest += decoder.decode(value, { stream: true });
        const lines = rest.split(f.format === 'ndjson' ? '\n' : /\r\n|\r|\n/);
        rest = lines.pop() ?? '';
        for (const line of lines) {
          let stop = false;
          if (f.format === 'ndjson') stop = line.trim() !== '' && seen('message', line);
          else if (line === '') {
            if (data.length > 0) stop = seen(type || 'message', data.join('\n'));
            data = [];
            type = '';
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
            if (field === 'data') data.push(value);
            else if (field === 'event') type = value;
          }
          if (stop) {
            controller.abort();
            return out(doneSeen ? 'done' : 'cap');
          }
        }
      }
    } catch (err) {
      return out(controller.signal.aborted ? 'timeout' : 'error', String(err));
    } finally {
      clearTimeout(timer);
    }
  };

  const post = await call('POST', p.post.url, {
    headers: { 'Content-Type': 'application/json', Authorization: p.post.authorization },
    body: p.post.body,
  });
  const get = await call('GET', p.get.url, {});
  return { post, get, stream: await (p.stream.fetch ? fetchStream(p.stream.url, p.stream.fetch) : stream(p.stream.url)) };
}
