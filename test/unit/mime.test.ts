import { describe, expect, it } from 'vitest';
import { extractMimeEssence, mimeEssence } from '../../src/fetch/mime.js';

describe('mimeEssence: parse one value (MIME Sniffing #parse-a-mime-type)', () => {
  it.each([
    ['text/event-stream', 'text/event-stream'],
    [' Text/Event-Stream ; charset=utf-8', 'text/event-stream'],
    ['application/json;x="a,b"', 'application/json'],
    ['text /plain', null],
    ['text/', null],
    ['/plain', null],
    ['text/plain/x', null],
  ])('%j → %j', (value, essence) => expect(mimeEssence(value)).toBe(essence));
});

describe('extractMimeEssence: a response Content-Type (Fetch #concept-header-extract-mime-type)', () => {
  it.each([
    [undefined, undefined],
    ['text/event-stream; charset=utf-8', 'text/event-stream'],
    ['text/html, text/event-stream', 'text/event-stream'],
    ['text/event-stream, */*', 'text/event-stream'],
    ['text/event-stream, nonsense', 'text/event-stream'],
    ['nonsense', undefined],
  ])('%j → %j', (value, essence) => expect(extractMimeEssence(value)).toBe(essence));
});
