/**
 * Keeps the first and the last `size` bytes of a body so findings can quote the raw stream
 * (an undispatched block, the leftover at EOF) without holding the whole body in memory.
 */
const verbatim = new TextDecoder('utf-8', { ignoreBOM: true });

export class RawKeeper {
  private readonly head: Uint8Array;
  private readonly ring: Uint8Array;
  private headLen = 0;
  private total = 0;

  constructor(private readonly size: number) {
    this.head = new Uint8Array(size);
    this.ring = new Uint8Array(size);
  }

  add(chunk: Uint8Array): void {
    const size = this.size;
    if (size === 0) return;
    if (this.headLen < size) {
      const take = Math.min(size - this.headLen, chunk.length);
      this.head.set(take === chunk.length ? chunk : chunk.subarray(0, take), this.headLen);
      this.headLen += take;
    }
    this.addToRing(chunk);
    this.total += chunk.length;
  }

  /** Byte at body offset p lives at ring[p % size]; only the last `size` bytes of a chunk matter. */
  private addToRing(chunk: Uint8Array): void {
    const size = this.size;
    const skip = chunk.length > size ? chunk.length - size : 0;
    const bytes = skip > 0 ? chunk.subarray(skip) : chunk;
    const at = (this.total + skip) % size;
    const first = Math.min(bytes.length, size - at);
    this.ring.set(first === bytes.length ? bytes : bytes.subarray(0, first), at);
    if (first < bytes.length) this.ring.set(bytes.subarray(first), 0);
  }

  /** Text of body bytes [from, to), or of the part of them still kept; `complete` says which. */
  excerpt(from: number, to: number): { text: string; complete: boolean } {
    if (to <= from || this.size === 0) return { text: '', complete: to <= from };
    if (to <= this.headLen) return { text: verbatim.decode(this.head.subarray(from, to)), complete: true };
    const start = Math.max(from, this.total - this.size);
    if (start >= to) return { text: '', complete: false };
    return { text: verbatim.decode(this.ringBytes(start, to)), complete: start === from };
  }

  headText(): string {
    return verbatim.decode(this.head.subarray(0, this.headLen));
  }

  /** The last `size` bytes, or undefined when the head already holds the whole body. */
  tailText(): string | undefined {
    if (this.total <= this.headLen) return undefined;
    return verbatim.decode(this.ringBytes(Math.max(0, this.total - this.size), this.total));
  }

  private ringBytes(from: number, to: number): Uint8Array {
    const size = this.size;
    const a = from % size;
    const len = to - from;
    if (a + len <= size) return this.ring.subarray(a, a + len);
    const out = new Uint8Array(len);
    out.set(this.ring.subarray(a), 0);
    out.set(this.ring.subarray(0, len - (size - a)), size - a);
    return out;
  }
}
