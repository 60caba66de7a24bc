#!/usr/bin/env node
/**
 * The GitHub Action's entry (action.yml): inputs → one zantara-audit run with the HTML, JSON and
 * JUnit reports and the audit log in one directory, then the step's outputs (exit code, report
 * paths) in $GITHUB_OUTPUT. The CLI itself writes the annotations and the step summary (it sees
 * GITHUB_ACTIONS=true). Header values are masked in the job log before anything runs; the step
 * exits with the audit's exit code. Uploading the report is left to the workflow.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The commands that audit something (serve and config do not). */
export const CHECKING_COMMANDS = ['audit', 'health', 'preflight', 'headers', 'stream', 'load', 'browser'];

/** Words of a command line, with '…' and "…" quoting and no shell: nothing is expanded or run. */
export function splitArgs(text) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g;
  let m;
  let word = '';
  let last = -1;
  while ((m = re.exec(text ?? '')) !== null) {
    const part = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]);
    // Adjacent pieces (--query="a b") form one word.
    if (m.index === last) word += part;
    else {
      if (last !== -1) out.push(word);
      word = part;
    }
    last = re.lastIndex;
  }
  if (last !== -1) out.push(word);
  return out;
}

/** `Name: value` lines; blank lines and # comments are skipped. */
export function headerLines(text) {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Inputs (as action.yml hands them over in INPUT_* variables) → the CLI's arguments and the files it will write. */
export function plan(env) {
  const command = (env.INPUT_COMMAND || 'audit').trim();
  if (!CHECKING_COMMANDS.includes(command)) throw new Error(`input command: "${command}" is not one of ${CHECKING_COMMANDS.join(', ')}`);
  const dir = resolve(env.INPUT_REPORT_DIR || join(env.RUNNER_TEMP || '.', 'zantara-audit'));
  const files = { html: join(dir, 'report.html'), json: join(dir, 'report.json'), junit: join(dir, 'junit.xml'), log: join(dir, 'audit.jsonl') };
  const args = [command];
  for (const name of ['gateway', 'rag', 'origin']) {
    const value = (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
    if (value) args.push(`--${name}`, value);
  }
  if ((env.INPUT_STRICT ?? '').trim() === 'true') args.push('--strict');
  for (const line of headerLines(env.INPUT_HEADERS)) args.push('--header', line);
  args.push('--html', files.html, '--json-file', files.json, '--junit', files.junit, '--log', files.log, ...splitArgs(env.INPUT_ARGS));
  return {
    command,
    dir,
    files,
    args,
    masks: headerLines(env.INPUT_HEADERS)
      .map((l) => l.slice(l.indexOf(':') + 1).trim())
      .filter(Boolean),
  };
}

/** One `name<<delimiter` block per output: safe whatever the value holds. */
export function outputBlock(name, value) {
  const delimiter = `ZANTARA_${Math.random().toString(36).slice(2)}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

function main() {
  let p;
  try {
    p = plan(process.env);
  } catch (err) {
    process.stdout.write(`::error title=zantara-audit action::${err.message}\n`);
    return 2;
  }
  for (const secret of p.masks) process.stdout.write(`::add-mask::${secret}\n`);
  mkdirSync(p.dir, { recursive: true });
  // The log must be new (the CLI never overwrites one): a rerun in the same directory gets a fresh name.
  if (existsSync(p.files.log)) p.files.log = join(p.dir, `audit-${Date.now()}.jsonl`);
  p.args[p.args.indexOf('--log') + 1] = p.files.log;
  // ZANTARA_AUDIT_BIN runs a local build (tests, a checkout); otherwise the published package.
  const local = process.env.ZANTARA_AUDIT_BIN;
  const version = (process.env.INPUT_VERSION || 'latest').trim();
  const [cmd, argv] = local ? [process.execPath, [local, ...p.args]] : ['npx', ['--yes', `zantara-audit@${version}`, ...p.args]];
  const run = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, GITHUB_ACTIONS: 'true' } });
  if (run.error) process.stdout.write(`::error title=zantara-audit action::cannot run ${cmd}: ${run.error.message}\n`);
  const code = run.error ? 2 : (run.status ?? (run.signal === 'SIGINT' ? 130 : 143));
  const outputs = { 'exit-code': String(code), dir: p.dir };
  for (const [name, path] of Object.entries(p.files)) outputs[name] = existsSync(path) ? path : '';
  if (process.env.GITHUB_OUTPUT)
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => outputBlock(k, v))
        .join(''),
    );
  if (process.env.GITHUB_STEP_SUMMARY && outputs.html)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `\nHTML report: \`${outputs.html}\` (outputs.html; upload it with actions/upload-artifact)\n`);
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
