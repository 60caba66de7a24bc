/**
 * The GitHub Action's entry script, run as the composite step runs it (node scripts/action-entry.js
 * with INPUT_* variables), against the built CLI and the reference server, with fake
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult } from '../helpers/cli.js';
// @ts-expect-error: a plain ES module script without type declarations
import { plan, splitArgs } from '../../scripts/action-entry.js';

const ENTRY = fileURLToPath(new URL('../../scripts/action-entry.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zantara-action-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 's3cr3t-action-token';

function runEntry(name: string, inputs: Record<string, string>): Promise<CliResult & { outputs: Record<string, string>; summary: string }> {
  const outFile = join(dir, `${name}.output`);
  const summaryFile = join(dir, `${name}.summary.md`);
  writeFileSync(outFile, '');
  writeFileSync(summaryFile, '');
  const env = {
    ...process.env,
    NO_COLOR: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: join(dir, name),
    ZANTARA_AUDIT_BIN: BIN,
    ZANTARA_AUDIT_LOG: '',
    ...inputs,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, outputs: parseOutputs(readFileSync(outFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') }),
    );
  });
}

/** GITHUB_OUTPUT's `name<<DELIM` … `DELIM` blocks, as the runner reads them. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

describe('action entry (scripts/action-entry.js)', () => {
  it('a passing health run: exit-code 0, every report path set and written, step summary, header value masked and redacted', async () => {
    const r = await runEntry('pass', {
      INPUT_COMMAND: 'health',
      INPUT_HEADERS: `Authorization: Bearer ${SECRET}\n# a comment\n`,
      INPUT_ARGS: '--local --skip metrics.eventloop-lag',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`::add-mask::Bearer ${SECRET}`);
    expect(r.outputs['exit-code']).toBe('0');
    for (const name of ['html', 'json', 'junit', 'log']) {
      expect(r.outputs[name], name).toMatch(new RegExp(`^${join(dir, 'pass', 'zantara-audit')}/`));
      expect(existsSync(r.outputs[name] as string), name).toBe(true);
    }
    expect(r.summary).toContain('## zantara-audit health: passed');
    expect(r.summary).toContain(`HTML report: \`${r.outputs.html}\``);
    for (const name of ['html', 'json', 'junit', 'log']) expect(readFileSync(r.outputs[name] as string, 'utf8'), name).not.toContain(SECRET);
    // The summary line names the files (stdout after the mask command).
    expect(r.stdout).toContain(`html: ${r.outputs.html}, json: ${r.outputs.json}, junit: ${r.outputs.junit}, log: ${r.outputs.log}`);
  });

  it('a failing run: the step exits 1, annotations are printed, outputs still set', async () => {
    const r = await runEntry('fail', { INPUT_COMMAND: 'health', INPUT_ARGS: '--local --fault health-down --skip metrics.eventloop-lag', INPUT_STRICT: 'true' });
    expect(r.code).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.stdout).toMatch(/^::error title=gateway health\.status::/m);
    expect(existsSync(r.outputs.html as string)).toBe(true);
    expect(r.summary).toContain('## zantara-audit health: failed');
  });

  it('a command that audits nothing is refused with an annotation, exit 2, nothing run', async () => {
    const r = await runEntry('bad', { INPUT_COMMAND: 'serve' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('::error title=zantara-audit action::input command: "serve" is not one of audit, health');
    expect(r.outputs).toEqual({});
  });

  it('inputs become arguments without a shell: quotes group words, targets and --strict only when given', () => {
    expect(splitArgs(`--skip cors.probe --query "visa for Bali" --x='a b' $(rm -rf /)`)).toEqual([
      '--skip',
      'cors.probe',
      '--query',
      'visa for Bali',
      '--x=a b',
      '$(rm',
      '-rf',
      '/)',
    ]);
    const p = plan({ INPUT_COMMAND: 'stream', INPUT_RAG: 'https://rag.example.com', INPUT_GATEWAY: ' ', INPUT_STRICT: 'true', RUNNER_TEMP: '/tmp/rt' }) as {
      args: string[];
      files: Record<string, string>;
    };
    expect(p.args.slice(0, 4)).toEqual(['stream', '--rag', 'https://rag.example.com', '--strict']);
    expect(p.args).not.toContain('--gateway');
    expect(p.files.html).toBe('/tmp/rt/zantara-audit/report.html');
  });
});
