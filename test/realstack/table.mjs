// The table of docs/realstack.md from a run's results:
//   REALSTACK_RESULTS=/tmp/rs.jsonl npx vitest run test/realstack && node test/realstack/table.mjs /tmp/rs.jsonl
// Versions are read here, from the installed npm packages and Debian's package database.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Straight from node_modules: some packages (hono) do not export their package.json.
const npm = (name) => `${name} ${JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version}`;
const deb = (name) => {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
  return `${name} ${r.status === 0 ? r.stdout.trim() : '(not installed)'}`;
};

const VERSIONS = {
  'express+cors': () => [npm('express'), npm('cors')],
  'fastify+@fastify/cors': () => [npm('fastify'), npm('@fastify/cors')],
  'hono+@hono/node-server': () => [npm('hono'), npm('@hono/node-server')],
  'koa+@koa/cors': () => [npm('koa'), npm('@koa/cors')],
  'flask+flask-cors (gunicorn)': () => [deb('python3-flask'), deb('python3-flask-cors'), deb('gunicorn')],
  'django+django-cors-headers (gunicorn)': () => [deb('python3-django'), deb('python3-django-cors-headers'), deb('gunicorn')],
  nginx: () => [deb('nginx-light')],
  caddy: () => [deb('caddy')],
  haproxy: () => [deb('haproxy')],
  'apache2 (mod_proxy_http)': () => [deb('apache2')],
};

function chromium(b) {
  const out = [];
  if (!b.preflight) out.push('preflight blocked');
  else if (!b.post) out.push('API answer blocked');
  if (!b.unauthorized) out.push('401 unreadable');
  if (!b.health) out.push('health blocked');
  if (!b.unknownPath) out.push("a made-up path's 404 unreadable (the app never calls it)");
  if (b.stream !== 'done') out.push(`stream ${b.stream}`);
  if (!b.streamError) out.push("stream's 400 unreadable");
  if (b.buffered) out.push('events in one final burst');
  if (b.leaks.length) out.push(`credentialed read from ${b.leaks.join(', ')}`);
  if (b.cleanup === 'leak') out.push('gauge still up 5 s after the tab closed the stream');
  return out.length ? out.join('; ') : 'nothing wrong';
}

function cli(r) {
  const probes = r.fails.filter((f) => f.startsWith('cors.probe.'));
  const named = r.fails.filter((f) => !f.startsWith('cors.probe.') || ['cors.probe.arbitrary@gateway', 'cors.probe.prefix@gateway', 'cors.probe.null@gateway'].includes(f));
  const ids = named.map((f) => `\`${f.replace('@', ' ')}\``);
  const more = probes.length - named.filter((f) => f.startsWith('cors.probe.')).length;
  if (more > 0) ids.push(`+${more} more \`cors.probe.*\``);
  return `exit ${r.exit}${ids.length ? `: ${ids.join(', ')}` : ''}`;
}

const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
const rows = readFileSync(process.argv[2], 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
console.log('| target | stack and version | misconfiguration | upstream source | Chromium | CLI findings (failed) | agree |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const versions = (VERSIONS[r.stack] ?? (() => [r.stack]))().join(', ');
  const sources = r.source
    .split(' ; ')
    .map((u) => `<${u}>`)
    .join(' ');
  const agree = r.disagreements.length ? `**no**: ${r.disagreements.join('; ')}` : 'yes';
  console.log(`| ${r.target} | ${cell(versions)} | ${cell(r.misconfiguration)} | ${sources} | ${cell(chromium(r.browser))} | ${cell(cli(r))} | ${cell(agree)} |`);
}
