// Writes schema/config.schema.json and schema/report.schema.json from the zod schemas (the single
// source of truth): editor completion for the config file, validation for consumers of --json.
import { writeFileSync, mkdirSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../dist/checks/config.js';
import { reportSchema } from '../dist/report/report-schema.js';

function write(name, zodSchema, io, title) {
  const schema = z.toJSONSchema(zodSchema, { io, unrepresentable: 'any' });
  schema.title = title;
  schema.$id = `https://zantara-audit.local/${name}`;
  writeFileSync(new URL(`../schema/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
write('config.schema.json', configSchema, 'input', 'zantara-audit config');
write('report.schema.json', reportSchema, 'output', 'zantara-audit JSON report (schemaVersion 1)');
