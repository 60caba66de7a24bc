import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AuditError } from '../core/errors.js';
import type { RunningReference } from './index.js';
import { paceArgs, type Pace } from './pace.js';

export interface SpawnOptions {
  origin: string;
  faults: string[];
  /** The answer's pace, as given with --local (unset: serve's defaults). */
  pace?: Partial<Pace>;
  /** `serve --stream-format`. */
  streamFormat?: 'sse' | 'ndjson';
  /** How long the child may take to say it is listening. */
  readyTimeoutMs?: number;
}

/** The framing the reference RAG answers in for a stream config: what its fetch() reader expects (EventSource: always SSE). */
export function referenceFormat(stream: { transport: 'eventsource' | 'fetch'; format?: 'sse' | 'ndjson' }): 'sse' | 'ndjson' {
  return stream.transport === 'fetch' ? (stream.format ?? 'sse') : 'sse';
}

async function isSingleExecutable(): Promise<boolean> {
  try {
    const sea = (await import('node:sea')) as { isSea?: () => boolean };
    return sea.isSea?.() ?? false;
  } catch {
    return false;
  }
}

/**
 * Run `zantara-audit serve` in a child process on free loopback ports: its own event loop, like
 * a real server, so its lag and its streams are not the auditor's. It exits when our stdin pipe
 * to it closes, so it never outlives us, even if we are killed.
 */
export async function spawnReference(options: SpawnOptions): Promise<RunningReference> {
  const entry = (await isSingleExecutable()) ? [] : [process.argv[1] as string];
  const args = [...entry, 'serve', '--ready-json', '--origin', options.origin, '--exit-on-stdin-close'];
  if (options.faults.length) args.push('--fault', options.faults.join(','));
  args.push(...paceArgs(options.pace ?? {}));
  if (options.streamFormat && options.streamFormat !== 'sse') args.push('--stream-format', options.streamFormat);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += String(c);
  });
  const ready = await new Promise<{ gateway: string; rag: string; faults: string[] }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`did not start within ${options.readyTimeoutMs ?? 15_000} ms`)), options.readyTimeoutMs ?? 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as { gateway: string; rag: string; faults: string[] });
      } catch {
        reject(new Error(`unexpected output: ${line.slice(0, 200)}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  }).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new AuditError(`the embedded reference server ${err.message}`, 2);
  });
  return {
    ...ready,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
