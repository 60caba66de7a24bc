/** Express, fastify, hono and koa gateways (npm devDependencies) against headless Chromium and the CLI. */
import { realStackSuite } from './suite.js';
import { NODE_TARGETS } from './targets.js';

realStackSuite('real stacks: Node gateway frameworks', NODE_TARGETS);
