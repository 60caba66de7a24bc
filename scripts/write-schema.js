// Writes schema/config.schema.json from the zod schema (the single source of truth), for editor completion.
import { writeFileSync, mkdirSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../dist/config/schema.js';

const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
schema.title = 'zantara-audit config';
schema.$id = 'https://zantara-audit.local/config.schema.json';
mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/config.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
