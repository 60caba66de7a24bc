import type { StreamReader, StreamReaderOptions, StreamRecord } from '../../src/sse/types.js';

/**
 * Feed `body` to a fresh reader cut at `cuts` (taken modulo the length, deduplicated); returns the
 * record and whether push() ever said "go on" after it had said "stop".
 */
export function readChunked(
  create: (opts: StreamReaderOptions) => StreamReader,
  body: Uint8Array,
  cuts: number[],
  opts: StreamReaderOptions,
): { record: StreamRecord; resumed: boolean } {
  const reader = create(opts);
  const bounds = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  let stopped = false;
  let resumed = false;
  for (const [i, to] of [...bounds, body.length].entries()) {
    const go = reader.push(body.subarray(from, to), i);
    if (stopped && go) resumed = true;
    if (!go) stopped = true;
    from = to;
  }
  return { record: reader.end('closed', bounds.length + 1), resumed };
}
