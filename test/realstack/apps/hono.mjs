// hono 4 on @hono/node-server, per VARIANT.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { bearerAuth } from 'hono/bearer-auth';
import { serve } from '@hono/node-server';
import { ORIGIN, PORT, VARIANT, chatAnswer, health, ready, registry, unauthorized } from './contract.mjs';

const app = new Hono();
const policy = cors({ origin: ORIGIN, credentials: true });
if (VARIANT === 'good') app.use('*', policy);
// hono's docs show cors() on a route pattern (app.use('/api/*', cors())): the app's routes have it, unknown paths do not.
if (VARIANT === 'route-scoped') {
  app.use('/api/*', policy);
  app.use('/health', policy);
}
// bearerAuth registered before cors: it answers the preflight (which never carries a token) 401.
if (VARIANT === 'auth-before-cors') {
  app.use('/api/*', bearerAuth({ token: 'secret-token' }));
  app.use('*', policy);
}
app.get('/health', (c) => c.json(health()));
app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
app.post('/api/chat', async (c) => {
  if (!/^Bearer \S+/.test(c.req.header('authorization') ?? '')) return c.json(unauthorized, 401);
  return c.json(chatAnswer(await c.req.json().catch(() => ({}))));
});
serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' }, () => ready('hono'));
