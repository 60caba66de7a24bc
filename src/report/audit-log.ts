import { closeSync, constants, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '../core/redact.js';

export interface AuditLogOptions {
  /** Fixed path (--log / ZANTARA_AUDIT_LOG); default: a fresh private dir under the OS temp dir. */
  path?: string;
  disabled?: boolean;
  redactor: Redactor;
  /** Called at most once, when the log cannot be opened or written. */
  warn: (message: string) => void;
}

/**
 * JSON lines, written synchronously so every line is whole even if the process is interrupted.
 * Opened with O_EXCL | O_NOFOLLOW: a symlink or a file planted at the path is never followed
 * or overwritten. Failure to write never fails the audit.
 */
export class AuditLog {
  private fd: number | undefined;
  readonly path: string | undefined;
  private warned = false;

  private constructor(
    private readonly options: AuditLogOptions,
    path: string | undefined,
    fd: number | undefined,
  ) {
    this.path = path;
    this.fd = fd;
  }

  static open(options: AuditLogOptions): AuditLog {
    if (options.disabled) return new AuditLog(options, undefined, undefined);
    let path = options.path;
    try {
      if (!path) path = join(mkdtempSync(join(tmpdir(), 'zantara-audit-')), 'audit.jsonl');
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      return new AuditLog(options, path, openSync(path, flags, 0o600));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'EEXIST' ? 'a file or link already exists there and is never overwritten' : (code ?? String(err));
      options.warn(`audit log not written: cannot create ${path ?? `a directory in ${tmpdir()}`} (${why}); the audit goes on`);
      return new AuditLog({ ...options }, undefined, undefined);
    }
  }

  write(type: string, data: object): void {
    if (this.fd === undefined) return;
    const line = this.options.redactor.json({ type, at: new Date().toISOString(), ...data });
    try {
      writeSync(this.fd, `${line}\n`);
    } catch (err) {
      this.fail(err);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      /* closing a log we could write to does not fail in practice; nothing to add */
    }
    this.fd = undefined;
  }

  private fail(err: unknown): void {
    if (!this.warned) this.options.warn(`audit log ${this.path}: write failed (${(err as NodeJS.ErrnoException).code ?? err}); the audit goes on`);
    this.warned = true;
    this.close();
  }
}
