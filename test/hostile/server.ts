/**
 * A loopback server that misbehaves on purpose, one mode per path prefix: `<base>/<mode>/health`,
 * `<base>/<mode>/metrics`, `<base>/<mode>/bali-zero/chat-stream`. Raw sockets (node:net / node:tls)
 * so every byte on the wire is ours: half-written heads, resets, bodies without a length.
 *
 * Nothing big is ever allocated: bodies are one reused chunk written with backpressure, and every
 * generator stops the moment the client goes away.
 */
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export const HTTP_MODES = ['ok', 'slowloris', 'huge-headers', 'huge-body', 'reset-mid-headers', 'redirect-loop', 'redirect-away', 'http10', 'silent'] as const;
export const SSE_MODES = ['endless-line', 'million-events', 'bad-utf8', 'nul-id', 'stall'] as const;
export type Mode = (typeof HTTP_MODES)[number] | (typeof SSE_MODES)[number];

const MB = 1024 * 1024;
/** What each generator offers at most; the client's caps must stop it long before. */
export const OFFERED = { headerBytes: MB, healthBodyBytes: 1024 * MB, lineBytes: 100 * MB, events: 1_000_000 } as const;
const MAX_REQUEST_HEAD = 64 * 1024;

export interface ReceivedRequest {
  mode: string;
  method: string;
  /** The target after the mode prefix, e.g. `/health`. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

interface Request extends ReceivedRequest {
  socket: Socket;
}

export interface HostileServer {
  /** `http://127.0.0.1:<port>/<mode>` */
  url(mode: Mode): string;
  /** `https://127.0.0.1:<port>/<mode>` (only when started with a certificate). */
  httpsUrl(mode: Mode): string;
  /** Every request head received, in order. */
  readonly received: ReceivedRequest[];
  /** The other origin `redirect-away` points at, and what it received (nothing, unless redirects are followed). */
  readonly away: { origin: string; received: ReceivedRequest[] };
  /** Body bytes written per mode (huge-body, endless-line, million-events): how far the client let us get. */
  readonly sent: Map<string, number>;
  close(): Promise<void>;
}

export interface HostileOptions {
  tls?: { key: Buffer; cert: Buffer };
}

/** Start the hostile server (and the `redirect-away` recorder) on loopback ports. */
export async function startHostile(options: HostileOptions = {}): Promise<HostileServer> {
  const received: ReceivedRequest[] = [];
  const awayReceived: ReceivedRequest[] = [];
  const sent = new Map<string, number>();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // resets from a client that gave up are expected
  };
  const away = createNetServer((socket) => {
    track(socket);
    readHead(socket, (req) => {
      awayReceived.push(strip(req));
      rawResponse(socket, 'HTTP/1.1 200 OK', { 'content-type': 'text/plain', connection: 'close' }, 'collected');
    });
  });
  const awayOrigin = await listen(away);
  const ctx: ModeContext = { awayOrigin, sent };
  const onSocket = (socket: Socket) => {
    track(socket);
    readHead(socket, (req) => {
      received.push(strip(req));
      serve(req, ctx);
    });
  };
  const plain = createNetServer(onSocket);
  const secure = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onSocket) : undefined;
  secure?.on('tlsClientError', () => undefined); // the client rejecting our certificate is the point
  const plainOrigin = await listen(plain);
  const secureOrigin = secure ? (await listen(secure)).replace(/^http:/, 'https:') : undefined;
  return {
    url: (mode) => `${plainOrigin}/${mode}`,
    httpsUrl: (mode) => {
      if (!secureOrigin) throw new Error('started without a certificate');
      return `${secureOrigin}/${mode}`;
    },
    received,
    away: { origin: awayOrigin, received: awayReceived },
    sent,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([plain, away, ...(secure ? [secure] : [])].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

const strip = ({ socket: _socket, ...req }: Request): ReceivedRequest => req;

/** Read one request head (to the blank line), then hand it over; a head beyond 64 KiB is dropped. */
function readHead(socket: Socket, onRequest: (req: Request) => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > MAX_REQUEST_HEAD) socket.destroy();
      return;
    }
    socket.off('data', onData);
    const [requestLine = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
    const [method = '', target = '/'] = requestLine.split(' ');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const [, mode = '', path = '/'] = /^\/([^/?]*)(.*)$/.exec(target) ?? [];
    onRequest({ socket, mode, method, path: path || '/', headers });
  };
  socket.on('data', onData);
}

function rawResponse(socket: Socket, statusLine: string, headers: Record<string, string>, body = ''): void {
  const bytes = Buffer.from(body, 'utf8');
  const head = Object.entries({ ...headers, 'content-length': String(bytes.length) })
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('');
  socket.end(Buffer.concat([Buffer.from(`${statusLine}\r\n${head}\r\n`, 'latin1'), bytes]));
}

/**
 * Write what `next` returns until it returns undefined or the client goes away, honouring
 * backpressure, so memory stays at one chunk however much is offered.
 */
function pump(socket: Socket, next: () => Buffer | undefined, onDone: () => void = () => socket.end()): void {
  let closed = false;
  socket.once('close', () => (closed = true));
  const go = () => {
    while (!closed) {
      const chunk = next();
      if (chunk === undefined) return onDone();
      if (!socket.write(chunk)) return void socket.once('drain', go);
    }
  };
  go();
}

interface ModeContext {
  awayOrigin: string;
  sent: Map<string, number>;
}

const HEALTH_JSON = JSON.stringify({ status: 'healthy', version: 'hostile', uptime: 1 });
const SSE_HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n';
const isStream = (path: string) => path.startsWith('/bali-zero/chat-stream');

function cors(req: Request): Record<string, string> {
  return req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {};
}

function notFound(req: Request): void {
  rawResponse(req.socket, 'HTTP/1.1 404 Not Found', { 'content-type': 'application/json', connection: 'close', ...cors(req) }, '{"error":"not found"}');
}

/** Body bytes of a generator, counted per mode so a test can show the client stopped it early. */
function counted(ctx: ModeContext, mode: string, chunk: Buffer): Buffer {
  ctx.sent.set(mode, (ctx.sent.get(mode) ?? 0) + chunk.length);
  return chunk;
}

function serve(req: Request, ctx: ModeContext): void {
  const { socket, path } = req;
  const mode = req.mode as Mode;
  switch (mode) {
    case 'ok':
      if (isStream(path)) return void socket.end(`${SSE_HEAD}data: {"type":"token","data":"hi"}\n\ndata: {"type":"done","data":null}\n\n`);
      if (path !== '/health') return notFound(req);
      return rawResponse(socket, 'HTTP/1.1 200 OK', { 'content-type': 'application/json', connection: 'close', ...cors(req) }, HEALTH_JSON);
    case 'slowloris': {
      // A status line, then one header line every 100 ms, and never the blank line.
      socket.write('HTTP/1.1 200 OK\r\n');
      let n = 0;
      const timer = setInterval(() => socket.write(`x-drip-${n++}: ${'.'.repeat(20)}\r\n`), 100);
      return void socket.once('close', () => clearInterval(timer));
    }
    case 'huge-headers': {
      const line = Buffer.from(`x-pad: ${'a'.repeat(1016)}\r\n`, 'latin1'); // 1 KiB
      let left = OFFERED.headerBytes / line.length;
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n');
      return pump(
        socket,
        () => (left-- > 0 ? line : undefined),
        () => socket.end(`content-length: 2\r\n\r\n{}`),
      );
    }
    case 'huge-body': {
      if (path !== '/health') return notFound(req);
      // JSON that would be valid if read whole: 1 GiB, announced, streamed from one 64 KiB chunk.
      const open = `{"status":"healthy","version":"hostile","pad":"`;
      const pad = Buffer.alloc(64 * 1024, 0x61);
      let left = OFFERED.healthBodyBytes - open.length - 2;
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${OFFERED.healthBodyBytes}\r\n${head(cors(req))}\r\n${open}`);
      return pump(socket, () => {
        if (left <= 0) return left-- === 0 ? Buffer.from('"}') : undefined;
        const chunk = left >= pad.length ? pad : pad.subarray(0, left);
        left -= chunk.length;
        return counted(ctx, mode, chunk);
      });
    }
    case 'reset-mid-headers':
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: applic');
      return void setTimeout(() => socket.resetAndDestroy(), 20);
    case 'redirect-loop':
      return rawResponse(socket, 'HTTP/1.1 302 Found', { location: `/${mode}${path}`, connection: 'close', ...cors(req) });
    case 'redirect-away':
      // Another origin (another port of this host): a client that followed would hand it the secret.
      return rawResponse(socket, 'HTTP/1.1 307 Temporary Redirect', { location: `${ctx.awayOrigin}/collect${path}`, connection: 'close', ...cors(req) });
    case 'http10':
      // HTTP/1.0, no keep-alive, no Content-Length: the body ends when the server closes.
      if (path !== '/health') return void socket.end('HTTP/1.0 404 Not Found\r\ncontent-type: application/json\r\n\r\n{"error":"not found"}');
      return void socket.end(`HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n${head(cors(req))}\r\n${HEALTH_JSON}`);
    case 'silent':
      return; // accepted, read, never answered
    default:
      return serveStream(req, ctx, mode);
  }
}

function head(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('');
}

/** The SSE modes: a 200 event-stream head (close-delimited body), then the hostile body. */
function serveStream(req: Request, ctx: ModeContext, mode: Mode): void {
  const { socket, path } = req;
  if (!isStream(path)) return notFound(req);
  socket.write(SSE_HEAD.replace('\r\n\r\n', `\r\n${head(cors(req))}\r\n`));
  switch (mode) {
    case 'endless-line': {
      // One `data:` line that never ends: 100 MB without a newline.
      const x = Buffer.alloc(64 * 1024, 0x78);
      socket.write('data: {"type":"metadata","data":null}\n\ndata: ');
      let left = OFFERED.lineBytes;
      return pump(socket, () => (left > 0 ? ((left -= x.length), counted(ctx, mode, x)) : undefined));
    }
    case 'million-events': {
      // 1,000,000 tiny events, 4,096 per write; never a done.
      const batch = Buffer.from('data: x\n\n'.repeat(4096));
      let left = OFFERED.events;
      return pump(socket, () => {
        if (left <= 0) return undefined;
        const n = Math.min(4096, left);
        left -= n;
        return counted(ctx, mode, n === 4096 ? batch : batch.subarray(0, n * 9));
      });
    }
    case 'bad-utf8':
      // Invalid UTF-8 (a stray continuation byte, a truncated sequence, an overlong '/', an encoded
      // surrogate): a browser decodes each to U+FFFD. The last one lands inside "done", so a
      // browser never sees a done event.
      return void socket.end(
        Buffer.concat([
          Buffer.from('data: {"type":"token","data":"a\x80b"}\n\n', 'latin1'),
          Buffer.from('data: {"type":"token","data":"\xe2\x82 \xc0\xaf \xed\xa0\x80"}\n\n', 'latin1'),
          Buffer.from('data: {"type":"do\xffne","data":null}\n\n', 'latin1'),
        ]),
      );
    case 'nul-id':
      // §9.2.6: an id with U+0000 is ignored, so the last event ID stays "1"; the stream never ends with done.
      return void socket.end('id: 1\ndata: {"type":"token","data":"a"}\n\nid: 2\u00003\ndata: {"type":"token","data":"b"}\n\n');
    case 'stall':
      // One event, then silence with the connection open, forever.
      return void socket.write('data: {"type":"metadata","data":null}\n\n');
    default:
      return notFound(req);
  }
}
