/** The README's fetch()-stream configs load as shown (README examples must run as shown). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { streamCall } from '../../src/checks/stream-call.js';
import { configSchema } from '../../src/checks/config.js';
import { loadConfig } from '../../src/config/load.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((b) => b.includes('"transport": "fetch"'));
const dir = mkdtempSync(join(tmpdir(), 'zantara-readme-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README fetch() stream configs', () => {
  it('there are two: OpenAI-compatible and NDJSON', () => {
    expect(blocks.map((b) => (JSON.parse(b) as { stream: { format: string } }).stream.format)).toEqual(['sse', 'ndjson']);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('config %i loads and resolves to a POST with a JSON body', (i, block) => {
    const file = join(dir, `stream-${i}.json`);
    writeFileSync(file, block);
    const { config } = loadConfig(configSchema, { cwd: dir, env: { OPENAI_API_KEY: 'sk-readme-test' }, configFile: file });
    const call = streamCall(config, 'what is a "KITAS"?');
    expect(call).toMatchObject({ transport: 'fetch', method: 'POST', credentials: 'omit' });
    expect(JSON.stringify(JSON.parse(call.body ?? ''))).toContain('what is a \\"KITAS\\"?');
    expect(call.url).not.toContain('?query=');
  });
});
