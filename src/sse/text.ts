/**
 * Body bytes to the text eventsource-parser is fed, decoded as a browser decodes the stream
 * (HTML §9.2.5: UTF-8 decode, one leading BOM stripped, invalid bytes as U+FFFD).
 */
import type { EventSourceParser } from 'eventsource-parser';

const LF = 10;
const CR = 13;
const BOM_CHAR = 0xfeff;
const STREAM = { stream: true } as const;

export class TextFeed {
  // A streaming decoder keeps multi-byte sequences split across chunks intact (S-DEC-6).
  // ignoreBOM: the BOM is stripped here, once, at the very start of the body.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private sawText = false;
  private skipLf = false;

  /** The text of one chunk; "" while a multi-byte sequence is incomplete. */
  decode(body: Uint8Array): string {
    let text = this.decoder.decode(body, STREAM);
    if (text === '') return text;
    if (!this.sawText) {
      this.sawText = true;
      if (text.charCodeAt(0) === BOM_CHAR) text = text.slice(1);
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    // eventsource-parser holds a trailing CR until the next chunk to see whether LF follows, which
    // delays (or at EOF loses) a CR-terminated event. A browser ends the line at the CR: send it
    // as CRLF now and drop the LF if the next chunk starts with one.
    if (text.charCodeAt(text.length - 1) === CR) {
      text += '\n';
      this.skipLf = true;
    }
    return text;
  }

  /** End of body: an incomplete sequence left could only end a block the browser discards. */
  flush(): void {
    this.decoder.decode();
  }

  /** Ready for the next body (a reused feed, as in load's slots): a decode without `stream` also resets the decoder. */
  reset(): void {
    this.decoder.decode();
    this.sawText = false;
    this.skipLf = false;
  }
}

/**
 * eventsource-parser strips a Latin-1 "ï»¿" from its first chunk; a browser does not (the real
 * BOM, U+FEFF, is handled in TextFeed). An empty first feed turns that check off: call it on a new
 * or reset parser.
 */
export function primeParser(parser: EventSourceParser): void {
  parser.feed('');
}
