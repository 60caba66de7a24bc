/**
 * Splits body bytes into lines as HTML §9.2.5–§9.2.6 do: one leading BOM stripped (even split
 * across chunks), and CRLF, LF or a bare CR ending a line, a CR at once, like a browser, with an LF
 * at the start of the next chunk completing that CRLF.
 */
const LF = 10;
const CR = 13;
const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

export abstract class LineSplitter {
  /** Body offset of the next chunk. */
  pos = 0;
  bom = false;
  stopped = false;

  private bomSeen = 0; // BOM bytes matched at the start; -1 once decided
  private crPending = false; // the last chunk ended in CR: a leading LF completes that CRLF

  /** Bytes [s, e) of the current line (no line ending inside), at body offset `base + s`; false stops. */
  protected abstract segment(buf: Uint8Array, s: number, e: number, base: number): boolean;
  /** The current line ended at body offset `end`; false stops. */
  protected abstract endLine(end: number): boolean;

  /** `hasCr`: whether the chunk holds a CR byte (the caller knows it from the decoded text). */
  scan(chunk: Uint8Array, hasCr: boolean): void {
    const base = this.pos;
    this.pos += chunk.length;
    if (this.stopped) return;
    let i = this.bomSeen >= 0 ? this.skipBom(chunk) : 0;
    if (this.crPending && i < chunk.length) {
      this.crPending = false;
      if (chunk[i] === LF) i++;
    }
    if (!hasCr) this.scanLf(chunk, i, base);
    else this.scanMixed(chunk, i, base);
  }

  /** End of body: a BOM prefix that never completed is line content. */
  protected finishLines(): void {
    if (this.bomSeen > 0) this.replayBom(this.bomSeen);
    this.bomSeen = -1;
  }

  private scanLf(chunk: Uint8Array, from: number, base: number): void {
    let i = from;
    let j = chunk.indexOf(LF, i);
    while (j !== -1) {
      if (j > i && !this.segment(chunk, i, j, base)) return;
      if (!this.endLine(base + j)) return;
      i = j + 1;
      j = i < chunk.length ? chunk.indexOf(LF, i) : -1;
    }
    if (i < chunk.length) this.segment(chunk, i, chunk.length, base);
  }

  /** §9.2.6: lines end with CRLF, LF or a bare CR; a CR is an end of line at once, like a browser. */
  private scanMixed(chunk: Uint8Array, from: number, base: number): void {
    const n = chunk.length;
    let i = from;
    let cr = chunk.indexOf(CR, i);
    let lf = chunk.indexOf(LF, i);
    while (cr !== -1 || lf !== -1) {
      const j = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (j > i && !this.segment(chunk, i, j, base)) return;
      if (!this.endLine(base + j)) return;
      i = j + 1;
      if (j === cr) {
        if (i === n) {
          this.crPending = true;
          return;
        }
        if (chunk[i] === LF) i++;
      }
      if (cr !== -1 && cr < i) cr = chunk.indexOf(CR, i);
      if (lf !== -1 && lf < i) lf = chunk.indexOf(LF, i);
    }
    if (i < n) this.segment(chunk, i, n, base);
  }

  /** §9.2.5: one leading BOM is stripped, even when it arrives split across chunks. */
  private skipBom(chunk: Uint8Array): number {
    let i = 0;
    while (this.bomSeen < 3 && i < chunk.length) {
      if (chunk[i] !== BOM[this.bomSeen]) {
        const seen = this.bomSeen;
        this.bomSeen = -1;
        if (seen > 0) this.replayBom(seen);
        return i;
      }
      this.bomSeen++;
      i++;
    }
    if (this.bomSeen === 3) {
      this.bom = true;
      this.bomSeen = -1;
    }
    return i;
  }

  /** A BOM prefix that turned out not to be one is ordinary line content at offset 0. */
  private replayBom(seen: number): void {
    this.segment(BOM, 0, seen, 0);
  }
}
