/**
 * What runs inside Chromium's pages (Playwright serialises each function with toString, so they
 * are self-contained: browser globals only). The app's calls, a foreign page's read, and a
 * same-origin page that closes the stream early while it reads the RAG's gauge.
 */

export interface Read {
  readable: boolean;
  status?: number;
  error?: string;
}

export interface StreamSeen {
  opened: boolean;
  /** ms since the EventSource was created, per dispatched message. */
  at: number[];
  done: boolean;
  /** done | error (readyState after it) | timeout */
  end: string;
}

export interface AppSeen {
  post: Read;
  unauthorized: Read;
  health: Read;
  /** A path the app never calls: its 404 tells which targets put CORS on routes only. */
  unknownPath: Read;
  stream: StreamSeen;
  streamError: Read;
}

export interface AppCallsArgs {
  gateway: string;
  rag: string;
  streamUrl: string;
  emptyQueryUrl: string;
}

/** The web app's calls from its own origin, as its code makes them. */
export async function appCalls(a: AppCallsArgs): Promise<AppSeen> {
  const read = async (url: string, init: RequestInit): Promise<Read> => {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      await res.text();
      return { readable: true, status: res.status };
    } catch (err) {
      return { readable: false, error: String(err) };
    }
  };
  const json = { 'Content-Type': 'application/json' };
  const post = await read(`${a.gateway}/api/chat`, {
    method: 'POST',
    credentials: 'include',
    headers: { ...json, Authorization: 'Bearer realstack-token' },
    body: '{"query":"hello"}',
  });
  // The same call with an expired session: the app must be able to read the 401 to log in again.
  const unauthorized = await read(`${a.gateway}/api/chat`, { method: 'POST', credentials: 'include', headers: json, body: '{"query":"hello"}' });
  const health = await read(`${a.gateway}/health`, { credentials: 'include' });
  const unknownPath = await read(`${a.gateway}/zantara-realstack-unknown-path`, { credentials: 'include' });
  const stream = await new Promise<StreamSeen>((resolve) => {
    const t0 = performance.now();
    const seen: StreamSeen = { opened: false, at: [], done: false, end: 'timeout' };
    const es = new EventSource(a.streamUrl);
    const finish = (end: string) => {
      clearTimeout(timer);
      es.close();
      resolve({ ...seen, end });
    };
    const timer = setTimeout(() => finish('timeout'), 20_000);
    es.onopen = () => (seen.opened = true);
    es.onmessage = (e: MessageEvent<string>) => {
      seen.at.push(Math.round(performance.now() - t0));
      if (e.data.includes('"done"')) {
        seen.done = true;
        finish('done');
      }
    };
    es.onerror = () => finish(es.readyState === EventSource.CLOSED ? 'error-closed' : 'error-reconnecting');
  });
  // The stream's own error status (an empty question), read as the app reads errors: anonymously, like EventSource.
  const streamError = await read(a.emptyQueryUrl, { credentials: 'omit' });
  return { post, unauthorized, health, unknownPath, stream, streamError };
}

/** A page on a foreign origin reads the gateway's health with the visitor's cookies. */
export async function foreignRead(url: string): Promise<Read> {
  try {
    const res = await fetch(url, { credentials: 'include', signal: AbortSignal.timeout(10_000) });
    await res.text();
    return { readable: true, status: res.status };
  } catch (err) {
    return { readable: false, error: String(err) };
  }
}

export interface CleanupSeen {
  /** The gauge could be read (a /metrics with the gauge on the RAG's origin). */
  observable: boolean;
  baseline?: number;
  whileOpen?: number;
  /** ms after close() when the gauge was back at the baseline; null when it never was within the deadline. */
  backAfterMs?: number | null;
}

export interface CleanupArgs {
  streamPath: string;
  gauge: string;
  closeAfterMs: number;
  deadlineMs: number;
}

/** On the RAG's own origin: open the stream, close the tab's stream early, watch the gauge. */
export async function closeEarly(a: CleanupArgs): Promise<CleanupSeen> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const gauge = async (): Promise<number | undefined> => {
    try {
      const res = await fetch('/metrics', { cache: 'no-store', signal: AbortSignal.timeout(5000) });
      if (!res.ok) return undefined;
      const lines = (await res.text()).split('\n').filter((l) => l.startsWith(`${a.gauge} `) || l.startsWith(`${a.gauge}{`));
      if (lines.length === 0) return undefined;
      return lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/).at(-1)), 0);
    } catch {
      return undefined;
    }
  };
  // Streams of earlier visitors (or of the CLI's run) must have ended first.
  let baseline = await gauge();
  if (baseline === undefined) return { observable: false };
  for (let i = 0; i < 60 && baseline !== 0; i++) {
    await sleep(250);
    baseline = (await gauge()) ?? baseline;
  }
  const es = new EventSource(a.streamPath);
  await sleep(a.closeAfterMs / 2);
  const whileOpen = await gauge();
  await sleep(a.closeAfterMs / 2);
  es.close();
  const closedAt = performance.now();
  while (performance.now() - closedAt < a.deadlineMs) {
    const g = await gauge();
    if (g !== undefined && g <= baseline) return { observable: true, baseline, whileOpen, backAfterMs: Math.round(performance.now() - closedAt) };
    await sleep(200);
  }
  return { observable: true, baseline, whileOpen, backAfterMs: null };
}
