// Express 5 + cors: the gateway as the cors package's README configures it, per VARIANT.
import express from 'express';
import cors from 'cors';
import { ORIGIN, PORT, VARIANT, chatAnswer, hasBearer, health, ready, registry, unauthorized } from './contract.mjs';

const origins = {
  good: ORIGIN,
  // README "Configuring CORS w/ Dynamic Origin": a RegExp, written without an end anchor.
  'regex-unanchored': /^http:\/\/app\.example\.test/,
  // origin: true reflects the request's Origin; with credentials every site reads the answers.
  'reflect-credentials': true,
};
const app = express();
app.use(cors({ origin: origins[VARIANT], credentials: true }));
app.use(express.json());
app.get('/health', (_req, res) => res.json(health()));
app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()));
app.post('/api/chat', (req, res) => (hasBearer(req.headers.authorization) ? res.json(chatAnswer(req.body)) : res.status(401).json(unauthorized)));
app.listen(PORT, '127.0.0.1', () => ready('express'));
