import { CommanderError } from 'commander';
import { AuditError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { COMMANDS } from './commands.js';
import { buildProgram } from './program.js';

/**
 * The entry point: the only place that sets process.exitCode, and the only catch. Known errors
 * become one line plus a hint; anything else is a bug, reported as one line too (stack with
 * ZANTARA_DEBUG=1).
 */
async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(COMMANDS, async (load, flags, args) => {
    const { default: action } = await load();
    code = await action(flags, args);
  });
  // Subcommands copy these settings only when created, so set them on each: a typo'd option
  // is parsed by the (default) subcommand and must exit 2 through our catch, not commander's exit(1).
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'zantara-audit: ')) });
  }
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0 through the same path.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof AuditError) {
      process.stderr.write(`zantara-audit: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`zantara-audit: internal error: ${message}\n  hint: this is a bug; rerun with ZANTARA_DEBUG=1 for the stack and report it\n`);
    if (process.env.ZANTARA_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return EXIT.failed;
  }
}

// A reader that goes away (`| head`) ends our output, not the run: no stack, and the exit code still holds.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
});

// No top-level await: the single-executable bundle is CommonJS.
void main(process.argv).then((code) => {
  process.exitCode = code;
});
