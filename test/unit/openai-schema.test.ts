/**
 * `stream.eventSchema: "openai"`: sse.protocol judges OpenAI-compatible chat.completion.chunk
 * streams on their own terms — a valid stream passes (under the default contract schema every
 * chunk is a "JSON message without type" warning), malformed chunks fail, naming what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { streamExpectationSchema } from '../../src/checks/stream/expectation.js';
import { createContext } from '../../src/checks/stream/context.js';
import { judgeProtocol } from '../../src/checks/stream/protocol.js';
import { streamObservation } from '../helpers/observations.js';

const chunk = (content: unknown, extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;
const ROLE = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] })}\n\n`;
const FINISH = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`;
const USAGE = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage: { total_tokens: 9 } })}\n\n`;
const DONE = 'data: [DONE]\n\n';
const VALID = [ROLE, chunk('Bali '), chunk('is '), chunk('an island'), FINISH, USAGE, DONE];

const OPENAI = streamExpectationSchema.parse({ eventSchema: 'openai', done: ['data:[DONE]'] });
const CONTRACT = streamExpectationSchema.parse({ done: ['data:[DONE]'] });

function protocol(chunks: string[], exp = OPENAI) {
  const obs = streamObservation({ chunks: chunks.map((c, i): [number, string] => [10 * (i + 1), c]) });
  return judgeProtocol(createContext(obs, exp));
}

describe('sse.protocol with the openai event schema', () => {
  it('a valid OpenAI stream passes, counting chunks and reading the answer from choices[0].delta.content', () => {
    const f = protocol(VALID);
    expect(f.status, f.observed).toBe('pass');
    expect(f.observed).toBe('6 chat.completion.chunk, 1 done');
    expect(f.evidence).toMatchObject({ answer: 'Bali is an island' });
  });

  it('the same stream under the default contract schema warns on every chunk: the reason the schema exists', () => {
    const f = protocol(VALID, CONTRACT);
    expect(f.status).toBe('warn');
    expect(f.observed).toBe('unknown JSON message without "type" (6x)');
  });

  it.each([
    ['data that is not JSON', 'data: {"object": "chat.completion.chunk", choices: []}\n\n', /data is not JSON/],
    ['another object', 'data: {"object": "chat.completion", "choices": []}\n\n', /is not a chat\.completion\.chunk: "object" is "chat\.completion"/],
    ['no object member', 'data: {"choices": [{"delta": {"content": "x"}}]}\n\n', /no "object" member/],
    ['choices missing', 'data: {"object": "chat.completion.chunk"}\n\n', /"choices" is not an array/],
    ['a choice without delta', 'data: {"object": "chat.completion.chunk", "choices": [{"index": 0, "text": "x"}]}\n\n', /choices\[0\]\.delta is not an object/],
    ['content that is not a string', chunk(42), /choices\[0\]\.delta\.content is not a string/],
    ['a streamed error', 'data: {"error": {"message": "rate limited", "type": "rate_limit"}}\n\n', /the server sent an error event #1: "rate limited"/],
  ])('%s fails', (_name, bad, message) => {
    const f = protocol([ROLE, bad, chunk('x'), DONE]);
    expect(f.status).toBe('fail');
    expect(f.observed).toMatch(message);
  });

  it('a chunk after [DONE] fails, as for the contract', () => {
    expect(protocol([...VALID, chunk('late')]).observed).toMatch(/1 event\(s\) after done/);
  });

  it('an unknown schema is a config error', () => {
    expect(streamExpectationSchema.safeParse({ eventSchema: 'anthropic' }).success).toBe(false);
  });
});
