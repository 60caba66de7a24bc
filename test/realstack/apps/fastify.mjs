// fastify 5 + @fastify/cors, per VARIANT.
import Fastify from 'fastify';
import cors from '@fastify/cors';
import { ORIGIN, PORT, VARIANT, chatAnswer, hasBearer, health, ready, registry, unauthorized } from './contract.mjs';

const options = {
  good: { origin: ORIGIN, credentials: true },
  // allowedHeaders written out for the JSON body only: the bearer token's header is left out.
  'no-auth-header': { origin: ORIGIN, credentials: true, allowedHeaders: ['Content-Type'] },
  // origin '*' with credentials: the plugin sends both, which a browser refuses for credentialed calls.
  'wildcard-credentials': { origin: '*', credentials: true },
};
const app = Fastify();
await app.register(cors, options[VARIANT]);
app.get('/health', async () => health());
app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
app.post('/api/chat', async (req, reply) => (hasBearer(req.headers.authorization) ? chatAnswer(req.body) : reply.code(401).send(unauthorized)));
await app.listen({ port: PORT, host: '127.0.0.1' });
ready('fastify');
