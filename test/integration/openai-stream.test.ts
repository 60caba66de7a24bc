/**
 * The README's OpenAI-compatible config, as shown (only the host replaced), against a local
 * OpenAI-compatible server: with `stream.eventSchema: "openai"` sse.protocol passes on valid
 * chat.completion.chunk streams without waiving it, and fails on malformed chunks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson, statusOf } from '../helpers/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const block = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string).find((b) => b.includes('/v1/chat/completions'));
const dir = mkdtempSync(join(tmpdir(), 'zantara-openai-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const chunk = (delta: object) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
const VALID = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Bali ' }), chunk({ content: 'is an island' }), chunk({}), 'data: [DONE]\n\n'];
const MALFORMED = [chunk({ role: 'assistant', content: '' }), 'data: {"object": "chat.completion.chunk", "choices": [{"index": 0, "text": "Bali"}]}\n\n', 'data: [DONE]\n\n'];

/** The OpenAI API's shape: POST with a bearer token, CORS for any origin without credentials, x-request-id exposed. */
function openaiServer(events: () => string[]): Server {
  return createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'x-request-id');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
      return void res.end();
    }
    req.resume();
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') return void res.writeHead(404).end();
    if (req.headers.authorization !== 'Bearer sk-local-test') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error": {"message": "bad key"}}');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req-1' });
    const queue = events();
    const timer = setInterval(() => {
      const next = queue.shift();
      if (next === undefined) {
        clearInterval(timer);
        return void res.end();
      }
      res.write(next);
    }, 5);
    res.on('close', () => clearInterval(timer));
  });
}

describe.each([
  ['valid chunks', () => VALID, 'pass'],
  ['a chunk without delta', () => MALFORMED, 'fail'],
] as const)("the README's OpenAI-compatible config, %s", (_name, events, expected) => {
  const server = openaiServer(events);
  let file = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = JSON.parse(block ?? '{}') as { targets: { rag: { url: string } } };
    config.targets.rag.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    file = join(dir, `${expected}.json`);
    writeFileSync(file, JSON.stringify(config));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it(`sse.protocol ${expected}, sse.done pass: no waiver needed`, async () => {
    expect(block, 'the README has the OpenAI-compatible config').toBeDefined();
    expect(block).not.toContain('"skip"');
    const { result, report } = await runJson(['stream', '--config', file, '--no-log'], { env: { OPENAI_API_KEY: 'sk-local-test' } });
    const protocol = report.findings.find((f) => f.id === 'sse.protocol');
    expect(protocol?.status, `${protocol?.observed}\n${result.stderr}`).toBe(expected);
    expect(statusOf(report, 'sse.done')).toEqual(['pass']);
    if (expected === 'pass') expect(protocol?.observed).toBe('4 chat.completion.chunk, 1 done');
    else expect(protocol?.observed).toMatch(/message #1 .* is not a chat\.completion\.chunk: choices\[0\]\.delta is not an object/);
  });
});
