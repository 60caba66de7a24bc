import { UsageError } from '../../core/errors.js';
import type { Action } from '../program.js';
import { prepare } from '../session.js';

/** `config check`: the merged config, validated and redacted; nothing is sent. */
const config: Action = async (flags, args) => {
  if (args[0] !== 'check') throw new UsageError(`unknown config subcommand "${args[0] ?? ''}"`, 'use: zantara-audit config check');
  const { loaded, output } = prepare('config', flags);
  const sources = Object.fromEntries([...loaded.sources].sort());
  if (flags.json) output.stdout(`${output.redactor.json({ config: loaded.config, file: loaded.file ?? null, sources }, 2)}\n`);
  else {
    output.stdout(`config OK${loaded.file ? ` (file ${loaded.file})` : ' (no config file)'}\n`);
    output.stdout(`${output.redactor.json(loaded.config, 2)}\n`);
    if (Object.keys(sources).length)
      output.stdout(
        `set by:\n${Object.entries(sources)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join('\n')}\n`,
      );
  }
  return 0;
};

export default config;
