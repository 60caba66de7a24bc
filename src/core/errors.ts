/**
 * The few errors that end a run early. Each carries a one-line message and a hint; the single
 * top-level catch in src/cli/main.ts maps them to exit codes. Anything else is a bug.
 */
export class AuditError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flag, bad config value, unknown command: exit 2, nothing sent. */
export class UsageError extends AuditError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
  }
}
