// koa 3 + @koa/cors 5, per VARIANT.
import Koa from 'koa';
import cors from '@koa/cors';
import { ORIGIN, PORT, VARIANT, chatAnswer, hasBearer, health, ready, registry, unauthorized } from './contract.mjs';

const app = new Koa();
// @koa/cors README: with credentials and no origin, the default origin becomes the request's Origin.
app.use(cors(VARIANT === 'credentials-default-origin' ? { credentials: true } : { origin: ORIGIN, credentials: true }));
app.use(async (ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/health') return void (ctx.body = health());
  if (ctx.method === 'GET' && ctx.path === '/metrics') {
    ctx.type = registry.contentType;
    return void (ctx.body = await registry.metrics());
  }
  if (ctx.method === 'POST' && ctx.path === '/api/chat') {
    const chunks = [];
    for await (const c of ctx.req) chunks.push(c);
    if (!hasBearer(ctx.get('authorization'))) {
      ctx.status = 401;
      return void (ctx.body = unauthorized);
    }
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {}
    ctx.body = chatAnswer(body);
  }
});
app.listen(PORT, '127.0.0.1', () => ready('koa'));
