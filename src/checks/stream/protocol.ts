/**
 * `sse.protocol`: every dispatched event follows one of the two conventions seen in the field —
 * named events (`event: token` + JSON data) or unnamed messages whose JSON data has a `type` —
 * or, under `stream.eventSchema: "openai"`, is an OpenAI `chat.completion.chunk` (openai.ts); and
 * nothing follows done. Reports counts per kind, the sources count and the answer text.
 */
import type { Finding, JsonValue } from '../../core/finding.js';
import type { StreamRecord } from '../../sse/types.js';
import { errorMessage, sourcesCount, tokenText, type ClassifiedEvent, type StreamAnalysis } from './analysis.js';
import { show, skip, verdict, type StreamContext } from './context.js';
import type { StreamExpectation } from './expectation.js';
import { chunkProblem, chunkText, OPENAI_CHUNK } from './openai.js';

const ID = 'sse.protocol';
const TITLE = 'events follow the answer protocol';
const ANSWER_CAP = 2000;

interface Issue {
  status: 'warn' | 'fail';
  text: string;
  remedy: string;
}

export function judgeProtocol(ctx: StreamContext): Finding {
  if (!ctx.stream) return skip(ctx, ID, TITLE, ctx.noStream ?? 'no stream');
  const { record, analysis } = ctx.stream;
  const ndjson = record.framing === 'ndjson';
  const issues = [...eventIssues(analysis, ctx.exp, ndjson), ...afterDone(analysis), ...(ndjson ? lineIssues(record) : blockIssues(record, ctx.exp))];
  if (analysis.events.length === 0 && issues.length === 0) return skip(ctx, ID, TITLE, 'no event was dispatched (see sse.done)');
  const evidence = { ...summary(analysis), problems: issues.slice(0, 20).map((i) => `${i.status}: ${i.text}`) };
  const expected =
    ctx.exp.eventSchema === 'openai'
      ? `unnamed messages whose JSON is an OpenAI ${OPENAI_CHUNK} (choices[].delta, content a string)${ndjson ? ', every line ending in "\\n"' : ''}; nothing after done`
      : ndjson
        ? `one JSON value per line, {"type": ${ctx.exp.messageTypes.join('|')}}, every line ending in "\\n"; nothing after done`
        : `named events (${ctx.exp.eventNames.join('|')}) with JSON data, or messages with JSON {"type": ${ctx.exp.messageTypes.join('|')}}; nothing after done`;
  const worst = issues.find((i) => i.status === 'fail') ?? issues[0];
  if (!worst) return verdict(ctx, ID, { status: 'pass', title: TITLE, expected, observed: countsText(evidence.counts), evidence });
  const more = issues.length > 1 ? ` (+${issues.length - 1} more, see evidence)` : '';
  return verdict(ctx, ID, { status: worst.status, title: TITLE, expected, observed: `${worst.text}${more}`, remedy: worst.remedy, evidence });
}

function eventIssues(a: StreamAnalysis, exp: StreamExpectation, ndjson: boolean): Issue[] {
  if (exp.eventSchema === 'openai') return openaiIssues(a, ndjson);
  const issues: Issue[] = [];
  const unknown = new Map<string, number>();
  const end = a.done[0] ?? a.events.length - 1;
  for (const c of a.events.slice(0, end + 1)) {
    if (c.isDone) continue;
    const known = c.convention === 'named' ? exp.eventNames.includes(c.kind) : exp.messageTypes.includes(c.kind);
    if (c.kind === 'error') issues.push(serverError(c));
    else if (c.convention === 'named' && c.kind === 'open') issues.push(collision(c));
    if (c.json === undefined && (known || c.convention === 'typed')) issues.push(ndjson ? lineNotJson(c) : notJson(c));
    else if (!known && c.kind !== 'error' && !(c.convention === 'named' && c.kind === 'open')) {
      const key = c.convention === 'named' ? `event name "${c.kind}"` : c.kind === '?' ? 'JSON message without "type"' : `message type "${c.kind}"`;
      unknown.set(key, (unknown.get(key) ?? 0) + 1);
    }
  }
  for (const [what, n] of unknown) {
    issues.push({
      status: 'warn',
      text: `unknown ${what} (${n}x)`,
      remedy: "use the contract's kinds, or add this one to the expected eventNames/messageTypes if the web app handles it",
    });
  }
  return issues;
}

/** The `openai` schema: every event before done an unnamed chat.completion.chunk a client can read, or a streamed error. */
function openaiIssues(a: StreamAnalysis, ndjson: boolean): Issue[] {
  const issues: Issue[] = [];
  const named = new Map<string, number>();
  const end = a.done[0] ?? a.events.length - 1;
  for (const c of a.events.slice(0, end + 1)) {
    if (c.isDone) continue;
    if (c.convention === 'named') named.set(c.kind, (named.get(c.kind) ?? 0) + 1);
    else if (c.json === undefined) issues.push(ndjson ? lineNotJson(c) : notJson(c));
    else if (c.kind === 'error') issues.push(serverError(c));
    else {
      const problem = chunkProblem(c.json);
      if (problem) {
        issues.push({
          status: 'fail',
          text: `message #${c.index} at byte ${c.event.offset} is not a ${OPENAI_CHUNK}: ${problem}: ${show(c.event.data, 160)}`,
          remedy: `send each chunk as {"object": "${OPENAI_CHUNK}", "choices": [{"index": 0, "delta": {"content": "..."}}]}: OpenAI-compatible clients read choices[0].delta.content`,
        });
      }
    }
  }
  for (const [name, n] of named) {
    issues.push({
      status: 'warn',
      text: `event name "${name}" (${n}x): OpenAI-compatible streams send unnamed messages`,
      remedy: 'drop the event: line; a client listening to onmessage never sees named events',
    });
  }
  return issues;
}

function serverError(c: ClassifiedEvent): Issue {
  const msg = errorMessage(c.json, c.event.data);
  const named = c.convention === 'named';
  return {
    status: 'fail',
    text: `the server sent an error event #${c.index}: ${show(msg)}`,
    remedy: named
      ? 'fix the server-side error; and rename the event: "event: error" reaches the same listener as EventSource\'s own transport errors (§9.2.6, S-DISP-3), so the page cannot tell them apart'
      : 'fix the server-side error behind this message',
  };
}

function collision(c: ClassifiedEvent): Issue {
  return {
    status: 'warn',
    text: `event #${c.index} is named "open", like EventSource's own open event`,
    remedy: 'rename it: the page cannot tell it from the connection opening (§9.2.6, S-DISP-3)',
  };
}

function notJson(c: ClassifiedEvent): Issue {
  const what = c.convention === 'named' ? `event "${c.kind}"` : 'message';
  return {
    status: 'fail',
    text: `${what} #${c.index} at byte ${c.event.offset}: data is not JSON: ${show(`data: ${c.event.data}`, 160)}`,
    remedy: 'send one JSON value per event (json.dumps the payload), or match the sentinel with the done rule',
  };
}

function lineNotJson(c: ClassifiedEvent): Issue {
  return {
    status: 'fail',
    text: `line #${c.index} at byte ${c.event.offset} is not JSON: ${show(c.event.data, 160)}`,
    remedy: 'write one JSON value per line (json.dumps each object, then "\\n"); a JSON.parse per line throws on this one',
  };
}

/** NDJSON framing: a line over the cap, and the partial last line a split-on-newline reader drops. */
function lineIssues(r: StreamRecord): Issue[] {
  const issues: Issue[] = [];
  if (r.end.reason === 'cap-line')
    issues.push({
      status: 'fail',
      text: 'a line longer than stream.caps.maxLineBytes: reading stopped there',
      remedy: 'keep each JSON line small (one token or delta per line); a reader buffers a whole line before it can parse it',
    });
  const l = r.leftover;
  if (l?.hasData && !r.end.reason.startsWith('cap-')) {
    issues.push({
      status: 'warn',
      text: `a partial last line (no "\\n") at end of stream: ${show(l.raw, 120)}`,
      remedy: 'end every line with "\\n", the last one included: readers that split on newlines keep the rest as a buffer and drop it at the end',
    });
  }
  return issues;
}

function afterDone(a: StreamAnalysis): Issue[] {
  const first = a.done[0];
  if (first === undefined || first === a.events.length - 1) return [];
  const next = a.events[first + 1] as ClassifiedEvent;
  return [
    {
      status: 'fail',
      text: `${a.events.length - 1 - first} event(s) after done, first #${next.index}: ${show(next.event.data, 120)}`,
      remedy: 'done must be the last event: stop writing after it',
    },
  ];
}

function blockIssues(r: StreamRecord, exp: StreamExpectation): Issue[] {
  const issues: Issue[] = [];
  const doneNames = new Set(exp.done.flatMap((m) => (m.kind === 'event' ? [m.name] : [])));
  for (const b of r.undispatched.filter((u) => !doneNames.has(u.type)).slice(0, 3)) {
    issues.push({
      status: 'warn',
      text: `"event: ${b.type}" block without data is never dispatched: ${show(b.raw, 120)}`,
      remedy: 'add a data line to every event (§9.2.6 dispatch step 2)',
    });
  }
  for (const p of r.fieldProblems.slice(0, 3)) {
    issues.push(
      p.kind === 'invalid-retry'
        ? {
            status: 'warn',
            text: `retry value ${show(p.value)} is ignored (digits only)`,
            remedy: 'send retry as an integer number of ms, e.g. "retry: 3000" (§9.2.6); a bare "retry" resets Chromium to 3000 ms',
          }
        : {
            status: 'warn',
            text: `unknown field ${show(p.field)} ignored (value ${show(p.value, 60)})`,
            remedy: 'field names are case-sensitive and exact: data, event, id, retry (§9.2.6)',
          },
    );
  }
  const l = r.leftover;
  if (l?.hasData && !r.end.reason.startsWith('cap-')) {
    issues.push({
      status: 'warn',
      text: `an unterminated last block was discarded at end of stream: ${show(l.raw, 120)}`,
      remedy: 'end every event with a blank line (§9.2.6 end of file)',
    });
  }
  return issues;
}

function summary(a: StreamAnalysis): { counts: { [kind: string]: number }; sources: number; answer: string; conventions: string[] } & { [key: string]: JsonValue } {
  const counts: { [kind: string]: number } = {};
  let sources = 0;
  let answer = '';
  const conventions = new Set<string>();
  for (const c of a.events) {
    const kind = c.isDone ? 'done' : c.kind;
    counts[kind] = (counts[kind] ?? 0) + 1;
    conventions.add(c.convention);
    if (kind === 'sources') sources += sourcesCount(c.json);
    if ((kind === 'token' || kind === 'delta') && answer.length < ANSWER_CAP) answer += tokenText(c.json) ?? '';
    if (kind === OPENAI_CHUNK && answer.length < ANSWER_CAP) answer += chunkText(c.json) ?? '';
  }
  if (answer.length > ANSWER_CAP) answer = `${answer.slice(0, ANSWER_CAP)}…`;
  return { counts, sources, answer, conventions: [...conventions] };
}

function countsText(counts: { [kind: string]: number }): string {
  return Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}
