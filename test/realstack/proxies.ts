/**
 * Debian's proxies in front of the reference gateway and RAG, each with its own config file,
 * pid file and logs in the target's temp dir, in the foreground (never the system instance).
 * The config text per variant is the misconfiguration under test; comments cite where users meet it.
 */
import { findBinary, freePort, type Proc, startProcess, waitReady, type Workdir } from './harness.js';
import type { Reference } from './reference.js';

export interface Fronted {
  gateway: string;
  rag: string;
  procs: Proc[];
}

/** The front's two ports, and the upstreams it proxies to. */
interface Ports {
  gw: number;
  rag: number;
  upGw: number;
  upRag: number;
}

const asRoot = process.getuid?.() === 0;

export const NGINX = () => findBinary('nginx', ['/usr/sbin/nginx'], 'apt-get install nginx-light');
export const CADDY = () => findBinary('caddy', ['/usr/bin/caddy'], 'apt-get install caddy');
export const HAPROXY = () => findBinary('haproxy', ['/usr/sbin/haproxy'], 'apt-get install haproxy');
export const APACHE = () => findBinary('apache2', ['/usr/sbin/apache2'], 'apt-get install apache2');

async function ports(ref: Reference): Promise<Ports> {
  return { gw: await freePort(), rag: await freePort(), upGw: ref.gatewayPort, upRag: ref.ragPort };
}

async function ready(proc: Proc, p: Ports): Promise<Fronted> {
  const gateway = `http://127.0.0.1:${p.gw}`;
  const rag = `http://127.0.0.1:${p.rag}`;
  await waitReady(proc, `${gateway}/health`);
  await waitReady(proc, `${rag}/health`);
  return { gateway, rag, procs: [proc] };
}

export type NginxVariant = 'good' | 'cors-no-always' | 'duplicate-acao' | 'gzip-ignore-abort';

/** nginx, with `variant` changing the gateway's or the RAG's server block. */
export async function startNginx(wd: Workdir, ref: Reference, origin: string, variant: NginxVariant): Promise<Fronted> {
  const p = await ports(ref);
  const upstream = (port: number) => `proxy_pass http://127.0.0.1:${port}; proxy_http_version 1.1; proxy_set_header Connection "";`;
  const gatewayCors: Record<NginxVariant, string> = {
    good: '',
    // The enable-cors.org / nginx wiki snippet: nginx answers the preflight and adds the headers,
    // but add_header without `always` only applies to 2xx/3xx: the upstream's 401 goes out bare.
    'cors-no-always': `
      proxy_hide_header Access-Control-Allow-Origin; proxy_hide_header Access-Control-Allow-Credentials;
      proxy_hide_header Access-Control-Expose-Headers; proxy_hide_header Vary;
      if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin '${origin}';
        add_header Access-Control-Allow-Credentials 'true';
        add_header Access-Control-Allow-Methods 'GET, POST, OPTIONS';
        add_header Access-Control-Allow-Headers 'Authorization, Content-Type';
        add_header Access-Control-Max-Age 1728000;
        return 204;
      }
      add_header Access-Control-Allow-Origin '${origin}';
      add_header Access-Control-Allow-Credentials 'true';`,
    // CORS added at the proxy on top of the app's own: two Access-Control-Allow-Origin lines.
    'duplicate-acao': `add_header Access-Control-Allow-Origin '*' always;`,
    'gzip-ignore-abort': '',
  };
  // gzip for text/event-stream (gzip_types copied with every text type), and the proxy told to
  // finish upstream requests whatever the client does (proxy_ignore_client_abort, set to silence
  // 499s in the logs). The upstream's X-Accel-Buffering: no is ignored, as for the many stream
  // servers that never send it, so nginx buffers as it does by default.
  const ragExtra =
    variant === 'gzip-ignore-abort'
      ? 'gzip on; gzip_proxied any; gzip_min_length 0; gzip_types text/event-stream; proxy_ignore_client_abort on; proxy_ignore_headers X-Accel-Buffering;'
      : 'proxy_buffering off; proxy_cache off;';
  const conf = wd.file(
    'nginx.conf',
    `${asRoot ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${wd.path('nginx.pid')};
error_log ${wd.path('nginx-error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${wd.path('nginx-access.log')};
  client_body_temp_path ${wd.path('client_body')}; proxy_temp_path ${wd.path('proxy_temp')};
  fastcgi_temp_path ${wd.path('fastcgi_temp')}; uwsgi_temp_path ${wd.path('uwsgi_temp')}; scgi_temp_path ${wd.path('scgi_temp')};
  server {
    listen 127.0.0.1:${p.gw};
    location / { ${upstream(p.upGw)} ${gatewayCors[variant]} }
  }
  server {
    listen 127.0.0.1:${p.rag};
    location / { ${upstream(p.upRag)} ${ragExtra} }
  }
}
`,
  );
  const bin = NGINX().path ?? 'nginx';
  const proc = startProcess(wd, 'nginx', bin, ['-p', wd.dir, '-c', conf], { log: wd.path('nginx.out'), pidFile: wd.path('nginx.pid') });
  return ready(proc, p);
}

export type CaddyVariant = 'good' | 'reflect-credentials';

export async function startCaddy(wd: Workdir, ref: Reference, variant: CaddyVariant): Promise<Fronted> {
  const p = await ports(ref);
  // The snippet passed around the Caddy forum: Access-Control-Allow-Origin from the request's
  // Origin placeholder, with credentials, deferred so it replaces the upstream's value.
  const reflect =
    variant === 'reflect-credentials'
      ? `header {
      defer
      Access-Control-Allow-Origin {http.request.header.Origin}
      Access-Control-Allow-Credentials true
    }`
      : '';
  const conf = wd.file(
    'Caddyfile',
    `{
  admin off
  auto_https off
  storage file_system ${wd.path('caddy-data')}
}
http://:${p.gw} {
  bind 127.0.0.1
  ${reflect}
  reverse_proxy 127.0.0.1:${p.upGw}
}
http://:${p.rag} {
  bind 127.0.0.1
  reverse_proxy 127.0.0.1:${p.upRag}
}
`,
  );
  const env = { HOME: wd.dir, XDG_DATA_HOME: wd.path('xdg-data'), XDG_CONFIG_HOME: wd.path('xdg-config') };
  const proc = startProcess(wd, 'caddy', CADDY().path ?? 'caddy', ['run', '--config', conf, '--adapter', 'caddyfile', '--pidfile', wd.path('caddy.pid')], {
    log: wd.path('caddy.log'),
    env,
    pidFile: wd.path('caddy.pid'),
  });
  return ready(proc, p);
}

export type HaproxyVariant = 'good' | 'reflect-credentials' | 'rag-duplicate-acao';

/** One HAProxy frontend on `port` and its backend, the upstream at `up`. */
const service = (name: string, port: number, up: number, rules: string) => `frontend ${name}
  bind 127.0.0.1:${port}
  ${rules}
  default_backend ${name}_app
backend ${name}_app
  server app 127.0.0.1:${up}`;

export async function startHaproxy(wd: Workdir, ref: Reference, variant: HaproxyVariant): Promise<Fronted> {
  const p = await ports(ref);
  // The CORS-at-the-edge recipe: capture the request's Origin into a variable and send it back.
  const gwRules =
    variant === 'reflect-credentials'
      ? `http-request set-var(txn.origin) req.hdr(origin)
  http-response set-header Access-Control-Allow-Origin %[var(txn.origin)] if { var(txn.origin) -m found }
  http-response set-header Access-Control-Allow-Credentials true if { var(txn.origin) -m found }`
      : '';
  // "Allow everyone" added at the edge while the app already sends its own header.
  const ragRules = variant === 'rag-duplicate-acao' ? `http-response add-header Access-Control-Allow-Origin "*"` : '';
  const conf = wd.file(
    'haproxy.cfg',
    `global
  pidfile ${wd.path('haproxy.pid')}
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
${service('gateway', p.gw, p.upGw, gwRules)}
${service('rag', p.rag, p.upRag, ragRules)}
`,
  );
  const proc = startProcess(wd, 'haproxy', HAPROXY().path ?? 'haproxy', ['-db', '-f', conf], { log: wd.path('haproxy.log') });
  return ready(proc, p);
}

export type ApacheVariant = 'good' | 'deflate';

export async function startApache(wd: Workdir, ref: Reference, variant: ApacheVariant): Promise<Fronted> {
  const p = await ports(ref);
  const mods = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'headers', 'filter', 'deflate'];
  // mod_deflate with text/event-stream in the type list (the "compress every text type" line).
  const deflate = variant === 'deflate' ? 'AddOutputFilterByType DEFLATE text/html text/plain text/css application/json text/event-stream' : '';
  const conf = wd.file(
    'apache2.conf',
    `ServerRoot ${wd.dir}
ServerName 127.0.0.1
PidFile ${wd.path('apache2.pid')}
ErrorLog ${wd.path('apache-error.log')}
LogLevel warn
DefaultRuntimeDir ${wd.dir}
Mutex file:${wd.dir}
${mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
${asRoot ? 'User www-data\nGroup www-data' : ''}
Listen 127.0.0.1:${p.gw}
Listen 127.0.0.1:${p.rag}
<VirtualHost 127.0.0.1:${p.gw}>
  ProxyPass / http://127.0.0.1:${p.upGw}/
  ProxyPassReverse / http://127.0.0.1:${p.upGw}/
</VirtualHost>
<VirtualHost 127.0.0.1:${p.rag}>
  ProxyPass / http://127.0.0.1:${p.upRag}/
  ProxyPassReverse / http://127.0.0.1:${p.upRag}/
  ${deflate}
</VirtualHost>
`,
  );
  const proc = startProcess(wd, 'apache2', APACHE().path ?? 'apache2', ['-f', conf, '-DFOREGROUND'], {
    log: wd.path('apache2.out'),
    pidFile: wd.path('apache2.pid'),
    env: { APACHE_RUN_DIR: wd.dir, APACHE_LOG_DIR: wd.dir },
  });
  return ready(proc, p);
}
