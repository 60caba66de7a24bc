/**
 * The corpus: third-party stacks as users deploy them, each good and misconfigured the way their
 * own trackers and docs describe, with the verdict a browser reaches on each (written from the
 * documented behaviour; Chromium confirms it in the test). A target replaces one side (gateway
 * or RAG) with the third-party stack and keeps the reference server for the other.
 */
import { DJANGO, FLASK, GUNICORN, type NodeFramework, startGunicorn, startNodeApp } from './apps.js';
import type { Proc, Workdir } from './harness.js';
import { APACHE, CADDY, HAPROXY, NGINX, startApache, startCaddy, startHaproxy, startNginx } from './proxies.js';
import { startReference } from './reference.js';
import { GOOD, type Verdict } from './verdict.js';

export interface Running {
  gateway: string;
  rag: string;
  procs: Proc[];
}

export interface Target {
  name: string;
  stack: string;
  misconfiguration: string;
  /** Where users meet this configuration: the project's docs, issue or advisory. */
  source: string;
  requires: Array<() => { missing?: string }>;
  start(wd: Workdir, origin: string): Promise<Running>;
  expected: Verdict;
}

const NODE = () => ({});

/** A framework as the gateway, the reference RAG behind it. */
function nodeGateway(framework: NodeFramework, variant: string): Target['start'] {
  return async (wd, origin) => {
    const ref = await startReference(wd, origin);
    const app = await startNodeApp(wd, framework, variant, origin);
    return { gateway: app.url, rag: ref.rag, procs: [app.proc, ref.proc] };
  };
}

function pythonGateway(app: 'flask_gateway:app' | 'django_gateway:application', variant: string): Target['start'] {
  return async (wd, origin) => {
    const ref = await startReference(wd, origin);
    const gw = await startGunicorn(wd, app, variant, origin);
    return { gateway: gw.url, rag: ref.rag, procs: [gw.proc, ref.proc] };
  };
}

/** A proxy in front of both reference services. */
function fronted(
  start: (wd: Workdir, ref: Awaited<ReturnType<typeof startReference>>, origin: string) => Promise<{ gateway: string; rag: string; procs: Proc[] }>,
  tokenIntervalMs?: number,
): Target['start'] {
  return async (wd, origin) => {
    const ref = await startReference(wd, origin, { tokenIntervalMs });
    const front = await start(wd, ref, origin);
    return { gateway: front.gateway, rag: front.rag, procs: [...front.procs, ref.proc] };
  };
}

const leak3: Pick<Verdict, 'leaks'> = { leaks: ['arbitrary', 'prefix', 'null'] };
const PY = [GUNICORN];

export const NODE_TARGETS: Target[] = [
  {
    name: 'express-good',
    stack: 'express+cors',
    misconfiguration: 'none: cors({origin: <app origin>, credentials: true})',
    source: 'https://github.com/expressjs/cors#configuration-options',
    requires: [NODE],
    start: nodeGateway('express', 'good'),
    expected: GOOD,
  },
  {
    name: 'express-regex-unanchored',
    stack: 'express+cors',
    misconfiguration: 'origin: /^http:\\/\\/app\\.example\\.test/ (RegExp without an end anchor)',
    source: 'https://github.com/expressjs/cors/pull/412',
    requires: [NODE],
    start: nodeGateway('express', 'regex-unanchored'),
    expected: { ...GOOD, leaks: ['prefix'] },
  },
  {
    name: 'express-reflect-credentials',
    stack: 'express+cors',
    misconfiguration: 'origin: true with credentials: true (reflects every Origin)',
    source: 'https://github.com/expressjs/cors/issues/422',
    requires: [NODE],
    start: nodeGateway('express', 'reflect-credentials'),
    expected: { ...GOOD, ...leak3 },
  },
  {
    name: 'fastify-good',
    stack: 'fastify+@fastify/cors',
    misconfiguration: 'none: {origin: <app origin>, credentials: true}',
    source: 'https://github.com/fastify/fastify-cors#options',
    requires: [NODE],
    start: nodeGateway('fastify', 'good'),
    expected: GOOD,
  },
  {
    name: 'fastify-no-auth-header',
    stack: 'fastify+@fastify/cors',
    misconfiguration: "allowedHeaders: ['Content-Type'] (Authorization left out)",
    source: 'https://github.com/fastify/fastify-cors#options',
    requires: [NODE],
    start: nodeGateway('fastify', 'no-auth-header'),
    expected: { ...GOOD, preflight: false, post: false },
  },
  {
    name: 'fastify-wildcard-credentials',
    stack: 'fastify+@fastify/cors',
    misconfiguration: "origin: '*' with credentials: true",
    source: 'https://github.com/fastify/help/issues/583',
    requires: [NODE],
    start: nodeGateway('fastify', 'wildcard-credentials'),
    expected: { ...GOOD, preflight: false, post: false, unauthorized: false, health: false, unknownPath: false },
  },
  {
    name: 'hono-good',
    stack: 'hono+@hono/node-server',
    misconfiguration: "none: app.use('*', cors({origin, credentials: true}))",
    source: 'https://hono.dev/docs/middleware/builtin/cors',
    requires: [NODE],
    start: nodeGateway('hono', 'good'),
    expected: GOOD,
  },
  {
    name: 'hono-route-scoped',
    stack: 'hono+@hono/node-server',
    misconfiguration: "cors() only on the app's routes (app.use('/api/*', cors()), as the docs show): a made-up path's 404 has no CORS headers, the app's own calls all do",
    source: 'https://hono.dev/docs/middleware/builtin/cors',
    requires: [NODE],
    start: nodeGateway('hono', 'route-scoped'),
    expected: { ...GOOD, unknownPath: false },
  },
  {
    name: 'hono-auth-before-cors',
    stack: 'hono+@hono/node-server',
    misconfiguration: 'bearerAuth() registered before cors(): the preflight (never carries a token) is answered 401 without CORS headers',
    source: 'https://github.com/inkeep/agents/pull/1205',
    requires: [NODE],
    start: nodeGateway('hono', 'auth-before-cors'),
    expected: { ...GOOD, preflight: false, post: false, unauthorized: false },
  },
  {
    name: 'koa-good',
    stack: 'koa+@koa/cors',
    misconfiguration: 'none: cors({origin: <app origin>, credentials: true})',
    source: 'https://github.com/koajs/cors#corsoptions',
    requires: [NODE],
    start: nodeGateway('koa', 'good'),
    expected: GOOD,
  },
  {
    name: 'koa-credentials-default-origin',
    stack: 'koa+@koa/cors',
    misconfiguration: 'cors({credentials: true}) without origin: the default becomes the request Origin',
    source: 'https://github.com/koajs/cors#corsoptions',
    requires: [NODE],
    start: nodeGateway('koa', 'credentials-default-origin'),
    expected: { ...GOOD, ...leak3 },
  },
];

export const PYTHON_TARGETS: Target[] = [
  {
    name: 'flask-good',
    stack: 'flask+flask-cors (gunicorn)',
    misconfiguration: 'none: CORS(app, origins=[<app origin>], supports_credentials=True)',
    source: 'https://flask-cors.readthedocs.io/en/latest/api.html',
    requires: [...PY, FLASK],
    start: pythonGateway('flask_gateway:app', 'good'),
    expected: GOOD,
  },
  {
    name: 'flask-regex-unanchored',
    stack: 'flask+flask-cors (gunicorn)',
    misconfiguration: 'origins=[r"^http://app\\.example\\.test"]: flask-cors tests regexes with re.match (start anchor only)',
    source: 'https://github.com/corydolphin/flask-cors/issues/209',
    requires: [...PY, FLASK],
    start: pythonGateway('flask_gateway:app', 'regex-unanchored'),
    expected: { ...GOOD, leaks: ['prefix'] },
  },
  {
    name: 'flask-wildcard-credentials',
    stack: 'flask+flask-cors (gunicorn)',
    misconfiguration: "CORS(app, supports_credentials=True) with the default origins='*': the request Origin is echoed with credentials",
    source: 'https://github.com/corydolphin/flask-cors/pull/222',
    requires: [...PY, FLASK],
    start: pythonGateway('flask_gateway:app', 'wildcard-credentials'),
    expected: { ...GOOD, ...leak3 },
  },
  {
    name: 'django-good',
    stack: 'django+django-cors-headers (gunicorn)',
    misconfiguration: 'none: CORS_ALLOWED_ORIGINS = [<app origin>], CORS_ALLOW_CREDENTIALS',
    source: 'https://github.com/adamchainz/django-cors-headers#configuration',
    requires: [...PY, DJANGO],
    start: pythonGateway('django_gateway:application', 'good'),
    expected: GOOD,
  },
  {
    name: 'django-regex-unanchored',
    stack: 'django+django-cors-headers (gunicorn)',
    misconfiguration: 'CORS_ALLOWED_ORIGIN_REGEXES = [r"^http://app\\.example\\.test"] (no $)',
    source: 'https://github.com/adamchainz/django-cors-headers#cors_allowed_origin_regexes-sequencestr--patternstr',
    requires: [...PY, DJANGO],
    start: pythonGateway('django_gateway:application', 'regex-unanchored'),
    expected: { ...GOOD, leaks: ['prefix'] },
  },
  {
    name: 'django-allow-all-credentials',
    stack: 'django+django-cors-headers (gunicorn)',
    misconfiguration: 'CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS: every Origin is echoed',
    source: 'https://github.com/adamchainz/django-cors-headers#cors_allow_all_origins-bool',
    requires: [...PY, DJANGO],
    start: pythonGateway('django_gateway:application', 'allow-all-credentials'),
    expected: { ...GOOD, ...leak3 },
  },
];

/** Long enough (64 events x ~110 ms, about 7 s) that a generator nobody stops is still running at the 5 s deadline. */
const LONG_ANSWER_MS = 110;

export const PROXY_TARGETS: Target[] = [
  {
    name: 'nginx-good',
    stack: 'nginx',
    misconfiguration: 'none: proxy_pass to both, proxy_buffering off on the stream',
    source: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering',
    requires: [NGINX],
    start: fronted((wd, ref, o) => startNginx(wd, ref, o, 'good')),
    expected: GOOD,
  },
  {
    name: 'nginx-cors-no-always',
    stack: 'nginx',
    misconfiguration: 'CORS at nginx with add_header without `always`: the upstream 401 (and every error) leaves without CORS headers',
    source: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
    requires: [NGINX],
    start: fronted((wd, ref, o) => startNginx(wd, ref, o, 'cors-no-always')),
    expected: { ...GOOD, unauthorized: false, unknownPath: false },
  },
  {
    name: 'nginx-duplicate-acao',
    stack: 'nginx',
    misconfiguration: "add_header Access-Control-Allow-Origin '*' always on top of the app's own header (two lines)",
    source: 'https://github.com/nginx-proxy/nginx-proxy/issues/1333',
    requires: [NGINX],
    start: fronted((wd, ref, o) => startNginx(wd, ref, o, 'duplicate-acao')),
    expected: { ...GOOD, preflight: false, post: false, unauthorized: false, health: false, unknownPath: false },
  },
  {
    name: 'nginx-gzip-ignore-abort',
    stack: 'nginx',
    misconfiguration: 'gzip_types text/event-stream with proxy buffering, and proxy_ignore_client_abort on: events held to the end, and a closed tab never reaches the generator',
    source: 'https://github.com/nginx/nginx/issues/1505 ; https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ignore_client_abort',
    requires: [NGINX],
    start: fronted((wd, ref, o) => startNginx(wd, ref, o, 'gzip-ignore-abort'), LONG_ANSWER_MS),
    expected: { ...GOOD, buffered: true, cleanup: 'leak' },
  },
  {
    name: 'caddy-good',
    stack: 'caddy',
    misconfiguration: 'none: reverse_proxy to both (flushes text/event-stream at once)',
    source: 'https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#streaming',
    requires: [CADDY],
    start: fronted((wd, ref) => startCaddy(wd, ref, 'good')),
    expected: GOOD,
  },
  {
    name: 'caddy-reflect-credentials',
    stack: 'caddy',
    misconfiguration: 'header Access-Control-Allow-Origin {http.request.header.Origin} with Allow-Credentials true',
    source: 'https://caddyserver.com/docs/caddyfile/directives/header ; https://github.com/caddyserver/caddy/issues/1073',
    requires: [CADDY],
    start: fronted((wd, ref) => startCaddy(wd, ref, 'reflect-credentials')),
    expected: { ...GOOD, ...leak3 },
  },
  {
    name: 'haproxy-good',
    stack: 'haproxy',
    misconfiguration: 'none: mode http in front of both',
    source: 'https://docs.haproxy.org/2.6/configuration.html',
    requires: [HAPROXY],
    start: fronted((wd, ref) => startHaproxy(wd, ref, 'good')),
    expected: GOOD,
  },
  {
    name: 'haproxy-reflect-credentials',
    stack: 'haproxy',
    misconfiguration: 'http-response set-header Access-Control-Allow-Origin %[var(txn.origin)] (the captured request Origin) with credentials',
    source: 'https://docs.haproxy.org/2.6/configuration.html#4.2-http-response%20set-header',
    requires: [HAPROXY],
    start: fronted((wd, ref) => startHaproxy(wd, ref, 'reflect-credentials')),
    expected: { ...GOOD, ...leak3 },
  },
  {
    name: 'haproxy-rag-duplicate-acao',
    stack: 'haproxy',
    misconfiguration: 'http-response add-header Access-Control-Allow-Origin "*" on the RAG, which sends its own',
    source: 'https://github.com/cyu/rack-cors/issues/162',
    requires: [HAPROXY],
    start: fronted((wd, ref) => startHaproxy(wd, ref, 'rag-duplicate-acao')),
    expected: { ...GOOD, stream: 'blocked', streamError: false, cleanup: 'ok' },
  },
  {
    name: 'apache-good',
    stack: 'apache2 (mod_proxy_http)',
    misconfiguration: 'none: ProxyPass to both',
    source: 'https://httpd.apache.org/docs/2.4/mod/mod_proxy_http.html',
    requires: [APACHE],
    start: fronted((wd, ref) => startApache(wd, ref, 'good')),
    expected: GOOD,
  },
  {
    name: 'apache-deflate',
    stack: 'apache2 (mod_proxy_http)',
    // Looks like the gzip mistake, but mod_proxy_http flushes whenever the backend pauses and
    // mod_deflate flushes with it (its docs: a FLUSH bucket flushes the compressor): events still
    // arrive as generated. Only sse.content-encoding may warn; nothing may fail.
    misconfiguration: 'AddOutputFilterByType DEFLATE ... text/event-stream (compressed, but flushed per event)',
    source: 'https://httpd.apache.org/docs/2.4/mod/mod_deflate.html',
    requires: [APACHE],
    start: fronted((wd, ref) => startApache(wd, ref, 'deflate')),
    expected: GOOD,
  },
];
