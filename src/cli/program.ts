import { Command, Option } from 'commander';
import { TOOL_NAME, VERSION } from '../version.js';
import { CONFIG_FLAGS } from './flags.js';
import type { SessionFlags } from './flags.js';

export type Action = (flags: SessionFlags, args: string[]) => Promise<number>;

/** Each command's action is imported only when it runs, so `--help` and `--version` stay fast. */
type Lazy = () => Promise<{ default: Action }>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function addGlobalOptions(program: Command): void {
  for (const spec of CONFIG_FLAGS.filter((f) => !f.commands)) {
    const option = new Option(spec.flags, spec.description);
    if (spec.kind === 'list' || spec.kind === 'header') option.argParser(collect);
    program.addOption(option);
  }
  program
    .option('--config <file>', 'config file (default ./zantara-audit.config.json when present)')
    .option('--local', 'start the embedded reference server on free loopback ports and audit it')
    .option('--fault <names>', 'with --local: faults to switch on, comma-separated (see `serve --help`)', collect)
    .option('--ttft <ms>', 'with --local or serve: reference time to first token (default 500)')
    .option('--token-interval <ms>', 'with --local or serve: reference time between events after the first token (default 50)')
    .option('--jitter <ms>', 'with --local or serve: each interval moves by up to this many ms either way (default 15)')
    .option('--json', 'print exactly one JSON report on stdout')
    .option('--log <file>', 'audit log path (env ZANTARA_AUDIT_LOG; default: a new private dir under the OS temp dir)')
    .option('--no-log', 'do not write the audit log')
    .option('-q, --quiet', 'print only failures, warnings and the summary')
    .option('-v, --verbose', 'print evidence for every finding')
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)');
}

export interface CommandDef {
  name: string;
  summary: string;
  examples: string[];
  /** Extra help text after the examples (e.g. the list of faults). */
  moreHelp?: () => string;
  load: Lazy;
  isDefault?: boolean;
  /** A positional argument in commander syntax, e.g. `<action>`. */
  argument?: [syntax: string, description: string];
  /** Command-specific options (commander syntax); config-setting ones live in CONFIG_FLAGS with `commands`. */
  options?: Array<[flags: string, description: string]>;
}

export function buildProgram(commands: CommandDef[], run: (action: Lazy, flags: SessionFlags, args: string[]) => Promise<void>): Command {
  const program = new Command(TOOL_NAME)
    .description('Audit a streaming deployment — CORS, health, metrics and the SSE answer stream — with the verdict a browser would reach.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  addGlobalOptions(program);
  for (const def of commands) {
    const cmd = program.command(def.name, { isDefault: def.isDefault }).description(def.summary);
    if (def.argument) cmd.argument(...def.argument);
    for (const spec of CONFIG_FLAGS.filter((f) => f.commands?.includes(def.name))) {
      const option = new Option(spec.flags, spec.description);
      if (spec.kind === 'list' || spec.kind === 'header') option.argParser(collect);
      cmd.addOption(option);
    }
    for (const [flags, description] of def.options ?? []) cmd.option(flags, description);
    cmd.addHelpText('after', () => `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n${def.moreHelp?.() ?? ''}`);
    cmd.action(async (...received: unknown[]) => {
      const self = received[received.length - 1] as Command;
      await run(def.load, self.optsWithGlobals<SessionFlags>(), self.args);
    });
  }
  program.addHelpText(
    'after',
    `\nExit codes: 0 pass, 1 a check failed, 2 bad usage or config, 3 a target unreachable, 130/143 interrupted.\nDocs: README.md and docs/checks.md in the package.\n`,
  );
  return program;
}
