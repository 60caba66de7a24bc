/**
 * `sse.done`: the answer ends with exactly one done event that a browser actually dispatches,
 * it is the last event, and the server closes soon after. A browser cannot tell a finished
 * answer from a dropped connection otherwise (docs/browser-rules.md D-1).
 */
import type { Finding } from '../../core/finding.js';
import type { LeftoverBlock, StreamRecord, SseEvent } from '../../sse/types.js';
import { DEFAULT_DONE_RULE, type DoneMatcher, formatDoneMatcher, matchesDone, parseJson } from '../../sse/done.js';
import { ms, show, skip, verdict, type StreamContext } from './context.js';

const ID = 'sse.done';
const TITLE = 'the answer ends with one dispatched done event, then the server closes';

interface Problem {
  text: string;
  remedy: string;
}

export function judgeDone(ctx: StreamContext): Finding {
  if (!ctx.stream) return skip(ctx, ID, TITLE, ctx.noStream ?? 'no stream');
  const rule = ctx.exp.done.map(formatDoneMatcher).join(' | ');
  const expected = `exactly one dispatched done (${rule}) as the last event, then a close within ${ms(ctx.exp.closeAfterDoneMs)}`;
  return ctx.stream.analysis.done.length === 0 ? noDone(ctx, ctx.stream.record, expected) : withDone(ctx, ctx.stream.record, expected);
}

function withDone(ctx: StreamContext, r: StreamRecord, expected: string): Finding {
  const done = (ctx.stream?.analysis.done ?? []) as [number, ...number[]];
  const first = done[0];
  const ev = r.events[first] as SseEvent;
  const problems: Problem[] = [];
  if (done.length > 1) {
    problems.push({ text: `done dispatched ${done.length} times (events #${done.join(', #')})`, remedy: 'send done once, at the very end' });
  }
  const following = r.events.slice(first + 1);
  if (following[0]) {
    problems.push({
      text: `${following.length} event(s) after done, first ${show(following[0].data)}`,
      remedy: 'stop writing after done: the page treats done as the end and drops what follows',
    });
  }
  const close = closeAfterDone(r, ev, ctx.exp.closeAfterDoneMs);
  if (close.status === 'fail') problems.push(close);
  const named = ev.type !== 'message';
  const observed = [`done ${show(ev.data)}${named ? ` as event "${ev.type}"` : ''} at ${ms(ev.atMs)}`, close.text, ...problems.filter((p) => p !== close).map((p) => p.text)].join(
    '; ',
  );
  const evidence = { doneEvent: first, doneAtMs: ev.atMs, type: ev.type, ending: r.end.reason, endAtMs: r.end.atMs, rule: 'HTML §9.2.6 dispatch; docs/browser-rules.md D-1' };
  if (problems[0]) return verdict(ctx, ID, { status: 'fail', title: TITLE, expected, observed, remedy: problems[0].remedy, evidence });
  if (close.status === 'warn') return verdict(ctx, ID, { status: 'warn', title: TITLE, expected, observed, remedy: close.remedy, evidence });
  if (named) {
    return verdict(ctx, ID, {
      status: 'warn',
      title: TITLE,
      expected,
      observed,
      remedy: `the page must listen with source.addEventListener('${ev.type}', ...): a named event never reaches onmessage (§9.2.6 dispatch step 5)`,
      evidence,
    });
  }
  return verdict(ctx, ID, { status: 'pass', title: TITLE, expected, observed, evidence });
}

/** How the connection ended after done: closed within the limit passes. */
function closeAfterDone(r: StreamRecord, done: SseEvent, limit: number): Problem & { status: 'pass' | 'warn' | 'fail' } {
  const after = r.end.atMs - done.atMs;
  const hold = 'close the response right after done: clients waiting for the end hang until an idle timeout';
  if (r.end.reason === 'closed') {
    return after <= limit
      ? { status: 'pass', text: `closed ${ms(after)} after it`, remedy: '' }
      : { status: 'fail', text: `closed only ${ms(after)} after it (limit ${ms(limit)})`, remedy: hold };
  }
  if (r.end.reason === 'reset') {
    return after <= limit
      ? {
          status: 'warn',
          text: `connection reset ${ms(after)} after it instead of a clean close`,
          remedy: 'end the response normally after done; a reset shows up as an error in proxies and logs',
        }
      : { status: 'fail', text: `connection reset only ${ms(after)} after it (limit ${ms(limit)})`, remedy: hold };
  }
  return after >= limit
    ? { status: 'fail', text: `still open ${ms(after)} after it when reading stopped (${r.end.reason})`, remedy: hold }
    : {
        status: 'warn',
        text: `close not observed: reading stopped (${r.end.reason}) ${ms(after)} after it, before the ${ms(limit)} limit`,
        remedy: 'let the probe read at least closeAfterDoneMs past done',
      };
}

function noDone(ctx: StreamContext, r: StreamRecord, expected: string): Finding {
  const rule = ctx.exp.done;
  if (r.end.reason === 'aborted') return skip(ctx, ID, TITLE, 'reading was aborted before the stream ended, so done cannot be judged');
  const block = r.undispatched.find((b) => rule.some((m) => m.kind === 'event' && m.name === b.type));
  if (block) {
    return verdict(ctx, ID, {
      status: 'fail',
      title: `done is sent as "event: ${block.type}" without a data line: EventSource never dispatches it`,
      expected,
      observed: `${show(block.raw)} at byte ${block.offset}, then ${r.end.reason}`,
      remedy: `add a data line: "event: ${block.type}\\ndata: {}\\n\\n" (§9.2.6: a block with no data is dropped)`,
      evidence: { rule: 'HTML §9.2.6 dispatch step 2 (S-DISP-1)', offset: block.offset },
    });
  }
  const ndjson = r.framing === 'ndjson';
  if (r.leftover?.hasData && leftoverIsDone(r.leftover, rule, ndjson)) {
    return verdict(ctx, ID, {
      status: 'fail',
      title: ndjson
        ? 'done is sent without the "\\n" that ends its line: a reader splitting on newlines drops it'
        : 'done is sent without the blank line that dispatches it: the browser discards it at end of stream',
      expected,
      observed: `${show(r.leftover.raw)} then ${r.end.reason}`,
      remedy: ndjson ? 'end every line with "\\n", the last one included' : 'end every event with a blank line ("\\n\\n"), the last one included',
      evidence: { rule: ndjson ? 'NDJSON: each JSON text is followed by "\\n"' : 'HTML §9.2.6 end of file (S-EOF-1)', bytes: r.leftover.bytes },
    });
  }
  return verdict(ctx, ID, {
    status: 'fail',
    title: `no done event: the stream ended (${r.end.reason}) without one`,
    expected,
    observed: received(r),
    remedy: noDoneRemedy(r),
    evidence: { events: r.events.length, ending: r.end.reason, endAtMs: r.end.atMs, rule: 'docs/browser-rules.md D-1' },
  });
}

/** What was received instead, for the no-done failure. */
function received(r: StreamRecord): string {
  const last = r.events.at(-1);
  const parts = [`${r.events.length} event(s)${last ? `, the last ${show(last.data, 120)}` : ''}`, `ended: ${r.end.reason} at ${ms(r.end.atMs)}`];
  if (r.leftover?.hasData) parts.push(`discarded unterminated block ${show(r.leftover.raw, 120)}`);
  const defaultMatch = r.events.find((e) => DEFAULT_DONE_RULE.some((m) => matchesDone(m, e.type, e.data, parseJson(e.data))));
  // Nothing matched the configured rule here, so a default match means the rule was changed.
  if (defaultMatch) parts.push(`${show(defaultMatch.data, 60)} looks like done but does not match the configured rule`);
  return parts.join('; ');
}

function noDoneRemedy(r: StreamRecord): string {
  switch (r.end.reason) {
    case 'deadline':
      return 'no done before the read deadline: the stream may never end; make the generator finish with done, or raise the stream timeout if answers legitimately take longer';
    case 'reset':
      return 'the connection broke mid-answer: check server errors and proxy idle timeouts, and always finish with done';
    case 'cap-bytes':
    case 'cap-events':
    case 'cap-line':
      return `reading stopped at a cap (${r.end.reason}) before done: raise it if answers are legitimately this large, otherwise the stream runs away`;
    default:
      return 'send a done event (e.g. data: {"type":"done","data":null} and a blank line) last, before closing: without it a browser cannot tell a finished answer from a dropped connection and reconnects';
  }
}

/** Would the unterminated block have been done had a blank line followed? */
function leftoverIsDone(block: LeftoverBlock, rule: readonly DoneMatcher[], ndjson = false): boolean {
  if (ndjson) return rule.some((m) => matchesDone(m, 'message', block.raw, parseJson(block.raw)));
  const data: string[] = [];
  let type = block.type || 'message';
  for (const line of block.raw.split(/\r\n|\r|\n/)) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (name === 'data') data.push(value);
    else if (name === 'event') type = value || 'message';
  }
  if (data.length === 0) return false;
  const text = data.join('\n');
  return rule.some((m) => matchesDone(m, type, text, parseJson(text)));
}
