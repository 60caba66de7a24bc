/**
 * A byte-level tracker of lines and blocks that applies HTML §9.2.6 the way a browser does, for
 * what eventsource-parser does not report: blocks that are never dispatched, `id:` in blocks
 * without data (they still set the last event ID), `retry:` attributed to its block, the pending
 * block at EOF, byte offsets, and line length. It never copies data values.
 *
 * Working on bytes is exact: CR, LF and `:` never occur inside a UTF-8 multi-byte sequence, and
 * a decoder never swallows an ASCII byte into U+FFFD, so byte lines are the decoded lines.
 */
import { LineSplitter } from './lines.js';

const COLON = 58;
const SPACE = 32;
const NAME_CAP = 8; // longer than any field name we track ("event", "retry")
const VALUE_CAP = 1024;

// What the current line is, once its field name is known.
const K_NAME = 0;
const K_DATA = 1;
const K_EVENT = 2;
const K_ID = 3;
const K_RETRY = 4;
const K_IGNORED = 5; // comment or unknown field

const verbatim = new TextDecoder('utf-8', { ignoreBOM: true });

export interface BlockSink {
  /** A block with data ended with a blank line; return false to stop scanning (a cap). */
  dispatch(blockStart: number): boolean;
  /** A block with `event:` but no data ended with a blank line: the browser drops it. */
  undispatched(blockStart: number, end: number, type: string): void;
  invalidRetry(value: string): void;
}

export class BlockScanner extends LineSplitter {
  /** §9.2.6: the EventSource's last event ID string, updated at every blank line. */
  lastEventId = '';
  retryMs: number | undefined;
  blockId: string | undefined;
  blockRetry: number | undefined;
  /** Offset of the pending block's first byte, -1 when none is open. */
  blockStart = -1;
  hasData = false;
  hasEvent = false;
  lineCapHit = false;
  /** An id longer than the value cap was kept cut (its block's id then differs from the parser's). */
  idTruncated = false;

  private idBuffer = '';
  private lineBytes = 0;
  private kind = K_NAME;
  private afterColon = false;
  private readonly name = new Uint8Array(NAME_CAP);
  private nameLen = 0;
  private readonly value = new Uint8Array(VALUE_CAP);
  private valueLen = 0;
  private valueNul = false;
  private valueDigits = true;
  private readonly eventBytes = new Uint8Array(VALUE_CAP);
  private eventLen = 0;

  constructor(
    private readonly sink: BlockSink,
    private readonly maxLineBytes: number,
  ) {
    super();
  }

  /** End of body: fold the unterminated line into the pending block. */
  finish(): void {
    this.finishLines();
    if (this.lineBytes === 0) return;
    if (this.kind === K_NAME) this.classify();
    if (this.kind === K_DATA) this.hasData = true;
    if (this.kind === K_EVENT) this.hasEvent = true;
  }

  eventType(): string {
    return verbatim.decode(this.eventBytes.subarray(0, this.eventLen));
  }

  /** Bytes [s, e) of the current line, no line ending inside. */
  protected segment(buf: Uint8Array, s: number, e: number, base: number): boolean {
    if (this.blockStart === -1) this.blockStart = base + s;
    this.lineBytes += e - s;
    if (this.lineBytes > this.maxLineBytes) {
      this.lineCapHit = true;
      this.stopped = true;
      return false;
    }
    let i = s;
    if (this.kind === K_NAME && this.nameLen === 0 && isDataColon(buf, s, e)) {
      this.kind = K_DATA; // the common line, `data:`, without the byte loop
      return true;
    }
    if (this.kind === K_NAME) {
      i = this.readName(buf, i, e);
      if (this.kind === K_NAME) return true;
    }
    if (i < e && this.kind >= K_EVENT && this.kind <= K_RETRY) this.readValue(buf, i, e);
    return true;
  }

  private readName(buf: Uint8Array, s: number, e: number): number {
    for (let i = s; i < e; i++) {
      const b = buf[i] as number;
      if (b === COLON) {
        this.classify();
        this.afterColon = true;
        return i + 1;
      }
      if (this.nameLen === NAME_CAP) {
        this.kind = K_IGNORED;
        return e;
      }
      this.name[this.nameLen++] = b;
    }
    return e;
  }

  /** §9.2.6: the value starts after the colon and one optional U+0020. */
  private readValue(buf: Uint8Array, s: number, e: number): void {
    let i = s;
    if (this.afterColon) {
      this.afterColon = false;
      if (buf[i] === SPACE) i++;
    }
    const isEvent = this.kind === K_EVENT;
    const target = isEvent ? this.eventBytes : this.value;
    let len = isEvent ? this.eventLen : this.valueLen;
    for (; i < e; i++) {
      const b = buf[i] as number;
      if (b === 0) this.valueNul = true;
      if (b < 48 || b > 57) this.valueDigits = false;
      if (len < VALUE_CAP) target[len++] = b;
    }
    if (isEvent) this.eventLen = len;
    else this.valueLen = len;
  }

  private classify(): void {
    const n = this.name;
    const len = this.nameLen;
    this.kind = K_IGNORED;
    if (len === 4 && n[0] === 100 && n[1] === 97 && n[2] === 116 && n[3] === 97) this.kind = K_DATA;
    else if (len === 2 && n[0] === 105 && n[1] === 100) this.kind = K_ID;
    else if (len === 5 && n[0] === 101 && n[1] === 118 && n[2] === 101 && n[3] === 110 && n[4] === 116) this.kind = K_EVENT;
    else if (len === 5 && n[0] === 114 && n[1] === 101 && n[2] === 116 && n[3] === 114 && n[4] === 121) this.kind = K_RETRY;
    if (this.kind === K_EVENT) this.eventLen = 0;
    this.valueLen = 0;
    this.valueNul = false;
    this.valueDigits = true;
  }

  protected endLine(end: number): boolean {
    if (this.lineBytes === 0) return this.blankLine(end);
    if (this.kind === K_NAME) this.classify(); // no colon: the whole line is the name, the value ""
    this.finishField();
    this.lineBytes = 0;
    this.kind = K_NAME;
    this.nameLen = 0;
    this.afterColon = false;
    return true;
  }

  private finishField(): void {
    switch (this.kind) {
      case K_DATA:
        this.hasData = true;
        break;
      case K_EVENT:
        this.hasEvent = true;
        break;
      case K_ID:
        // §9.2.6: an id containing U+0000 is ignored; the buffer keeps its earlier value.
        if (this.valueNul) break;
        this.blockId = this.idBuffer = verbatim.decode(this.value.subarray(0, this.valueLen));
        this.idTruncated = this.valueLen === VALUE_CAP;
        break;
      case K_RETRY:
        this.retryField();
        break;
    }
  }

  /** §9.2.6: only a value of ASCII digits sets the reconnection time; anything else is ignored. */
  private retryField(): void {
    if (this.valueLen > 0 && this.valueDigits && this.valueLen < VALUE_CAP) {
      this.retryMs = this.blockRetry = Number(verbatim.decode(this.value.subarray(0, this.valueLen)));
    } else {
      this.sink.invalidRetry(verbatim.decode(this.value.subarray(0, Math.min(this.valueLen, 200))));
    }
  }

  /** §9.2.6 "dispatch the event", browser steps: the last event ID is set even if nothing fires. */
  private blankLine(end: number): boolean {
    this.lastEventId = this.idBuffer;
    let go = true;
    if (this.blockStart !== -1) {
      if (this.hasData) go = this.sink.dispatch(this.blockStart);
      else if (this.hasEvent) this.sink.undispatched(this.blockStart, end + 1, this.eventType());
    }
    this.blockStart = -1;
    this.hasData = false;
    this.hasEvent = false;
    this.blockId = undefined;
    this.blockRetry = undefined;
    this.eventLen = 0;
    if (!go) this.stopped = true;
    return go;
  }
}

function isDataColon(buf: Uint8Array, s: number, e: number): boolean {
  return e - s >= 5 && buf[s] === 100 && buf[s + 1] === 97 && buf[s + 2] === 116 && buf[s + 3] === 97 && buf[s + 4] === COLON;
}
