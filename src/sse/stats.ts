/** The bounded lists and running timings a StreamRecord carries. */
import type { ChunkStats, FieldProblem, SignalStats, SseComment, SseEvent, StreamRecord, UndispatchedBlock } from './types.js';

const LIST_CAP = 100;
const COMMENT_TEXT_CAP = 200;

export class ReaderStats {
  readonly events: SseEvent[] = [];
  private readonly comments: SseComment[] = [];
  private commentCount = 0;
  private readonly undispatchedBlocks: UndispatchedBlock[] = [];
  private readonly problems: FieldProblem[] = [];
  private readonly chunks: ChunkStats = { count: 0, maxGapMs: 0, samples: [] };
  private readonly signals: SignalStats = { count: 0, maxGapMs: 0 };

  constructor(
    private readonly maxChunkSamples: number,
    private readonly maxComments: number,
  ) {}

  chunk(atMs: number, bytes: number, offset: number): void {
    const c = this.chunks;
    if (c.count === 0) c.firstAtMs = atMs;
    else if (atMs - (c.lastAtMs as number) > c.maxGapMs) {
      c.maxGapMs = atMs - (c.lastAtMs as number);
      c.maxGapEndMs = atMs;
    }
    c.lastAtMs = atMs;
    c.count++;
    if (c.samples.length < this.maxChunkSamples) c.samples.push({ atMs, bytes, offset });
  }

  event(e: SseEvent): void {
    this.events.push(e);
    this.signal(e.atMs);
  }

  comment(text: string, atMs: number): void {
    this.commentCount++;
    this.signal(atMs);
    if (this.comments.length >= this.maxComments) return;
    this.comments.push({ text: text.length > COMMENT_TEXT_CAP ? `${text.slice(0, COMMENT_TEXT_CAP)}…` : text, atMs });
  }

  undispatched(block: UndispatchedBlock): void {
    if (this.undispatchedBlocks.length < LIST_CAP) this.undispatchedBlocks.push(block);
  }

  problem(p: FieldProblem): void {
    if (this.problems.length < LIST_CAP) this.problems.push(p);
  }

  result(): Pick<StreamRecord, 'events' | 'comments' | 'commentCount' | 'chunks' | 'signals' | 'undispatched' | 'fieldProblems'> {
    return {
      events: this.events,
      comments: this.comments,
      commentCount: this.commentCount,
      chunks: this.chunks,
      signals: this.signals,
      undispatched: this.undispatchedBlocks,
      fieldProblems: this.problems,
    };
  }

  private signal(atMs: number): void {
    const s = this.signals;
    if (s.count === 0) s.firstAtMs = atMs;
    else if (atMs - (s.lastAtMs as number) > s.maxGapMs) {
      s.maxGapMs = atMs - (s.lastAtMs as number);
      s.maxGapEndMs = atMs;
    }
    s.lastAtMs = atMs;
    s.count++;
  }
}
