/**
 * One audit log per probe in a directory that never grows without bound: after each probe the
 * oldest files go until at most `maxFiles` remain and they hold at most `maxBytes`. Only files
 * this exporter names (`<time>-<target>-<module>-<n>.jsonl`) are ever removed.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '../core/redact.js';
import { AuditLog } from '../report/audit-log.js';

const OURS = /^\d{8}T\d{9}Z-[A-Za-z0-9_.-]+-\d+\.jsonl$/;

export interface LogDirOptions {
  dir?: string;
  maxFiles: number;
  maxBytes: number;
  redactor: Redactor;
  warn: (message: string) => void;
}

export class LogDir {
  readonly dir: string;
  private seq = 0;

  constructor(private readonly options: LogDirOptions) {
    if (options.dir) {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      this.dir = options.dir;
    } else {
      this.dir = mkdtempSync(join(tmpdir(), 'zantara-audit-exporter-'));
    }
  }

  open(target: string, module: string): AuditLog {
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const path = join(this.dir, `${stamp}-${target}-${module}-${++this.seq}.jsonl`);
    return AuditLog.open({ path, redactor: this.options.redactor, warn: this.options.warn });
  }

  /** Remove the oldest of our files beyond the bounds (names sort by time). */
  prune(): void {
    let files: Array<{ name: string; size: number }>;
    try {
      files = readdirSync(this.dir)
        .filter((n) => OURS.test(n))
        .sort()
        .map((name) => ({ name, size: sizeOf(join(this.dir, name)) }));
    } catch (err) {
      this.options.warn(`audit log directory ${this.dir}: cannot list it (${(err as NodeJS.ErrnoException).code ?? err})`);
      return;
    }
    let bytes = files.reduce((n, f) => n + f.size, 0);
    let count = files.length;
    for (const f of files) {
      if (count <= this.options.maxFiles && bytes <= this.options.maxBytes) break;
      try {
        unlinkSync(join(this.dir, f.name));
      } catch {
        /* already gone (another exporter on the same directory): the bound holds either way */
      }
      count--;
      bytes -= f.size;
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
