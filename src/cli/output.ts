import { Redactor } from '../core/redact.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** false: --no-color or NO_COLOR. */
  color: boolean;
}

/** Every byte the CLI writes goes through here, redacted at the sink. */
export class Output {
  readonly redactor = new Redactor();
  private warned = new Set<string>();

  constructor(readonly options: OutputOptions) {}

  stdout(text: string): void {
    process.stdout.write(this.redactor.redact(text));
  }

  stderr(text: string): void {
    process.stderr.write(this.redactor.redact(text));
  }

  /** A one-line warning on stderr, each distinct message once. */
  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.stderr(`warning: ${message}\n`);
  }
}

/** Chalk's level: 0 for --no-color / NO_COLOR, otherwise chalk's own detection (which honours FORCE_COLOR). */
export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  return true;
}
