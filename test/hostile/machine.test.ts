/**
 * A hostile machine: the temp dir cannot be written, or two audits start at the same moment.
 * (A symlink or file planted at --log is covered by test/unit/audit-log.test.ts and
 * test/integration/cli-usage.test.ts.)
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeScratch, runHostile, scratchDir } from './run.js';
import { startHostile, type HostileServer } from './server.js';

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostile();
});
afterAll(async () => {
  await hostile.close();
  removeScratch();
});

/** A directory with mode 0555, or undefined when this user can write there anyway (root ignores modes). */
function readOnlyDir(): string | undefined {
  const dir = join(scratchDir(), 'read-only');
  mkdirSync(dir, { mode: 0o555 });
  chmodSync(dir, 0o555);
  try {
    rmSync(mkdtempSync(join(dir, 'probe-')), { recursive: true });
    return undefined;
  } catch {
    return dir;
  }
}

/** A regular file where the temp directory should be: unwritable for every user, root included. */
function fileAsDir(): string {
  const file = join(scratchDir(), 'not-a-directory');
  writeFileSync(file, '');
  return file;
}

const readOnly = readOnlyDir();
const UNWRITABLE: Array<[string, string | undefined]> = [
  ['a read-only directory (0555)', readOnly],
  ['a path that is a file, not a directory', fileAsDir()],
];

describe.concurrent('the temp dir cannot be written: one warning, the audit runs, the exit code is the target’s', () => {
  describe.each(UNWRITABLE)('TMPDIR is %s', (_, tmp) => {
    it.skipIf(tmp === undefined).each([
      ['ok', 0],
      ['redirect-loop', 1],
    ] as const)('target %s → exit %i, as with a writable temp dir', async (mode, code) => {
      const args = ['health', '--gateway', hostile.url(mode), '--rag', hostile.url(mode)];
      const writable = await runHostile(args, { defaultLog: true, env: { TMPDIR: scratchDir() } });
      const run = await runHostile(args, { defaultLog: true, env: { TMPDIR: tmp } });
      expect(writable.code).toBe(code);
      expect(writable.report?.logFile).toMatch(/zantara-audit-\w{6}\/audit\.jsonl$/);
      expect(run.code, run.stderr).toBe(code);
      expect(run.report?.exitCode).toBe(code);
      expect(run.report?.logFile).toBeNull();
      const verdicts = (r: typeof run) => r.report?.findings.map((f) => `${f.target} ${f.id} ${f.status}`);
      expect(verdicts(run)).toEqual(verdicts(writable));
      expect(run.stderr.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(new RegExp(`^warning: audit log not written: cannot create a directory in ${tmp} \\((EACCES|EPERM|EROFS|ENOTDIR)\\); the audit goes on$`)),
      ]);
    });
  });
});

describe('two audits started at the same moment', () => {
  it('write two distinct, complete logs in two private directories', async () => {
    const tmp = scratchDir();
    const args = ['health', '--gateway', hostile.url('ok'), '--rag', hostile.url('ok')];
    const runs = await Promise.all([runHostile(args, { defaultLog: true, env: { TMPDIR: tmp } }), runHostile(args, { defaultLog: true, env: { TMPDIR: tmp } })]);
    const paths = runs.map((r) => r.report?.logFile);
    expect(paths[0]).not.toBe(paths[1]);
    for (const [i, run] of runs.entries()) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(dirname(dirname(paths[i] as string))).toBe(tmp);
      expect(statSync(dirname(paths[i] as string)).mode & 0o777).toBe(0o700);
      expect(run.log[0]?.type).toBe('run');
      expect(run.log.at(-1)).toMatchObject({ type: 'footer', exitCode: 0 });
      expect(run.log.filter((l) => l.type === 'finding')).toHaveLength(run.report?.findings.length ?? -1);
    }
    expect(readdirSync(tmp)).toHaveLength(2);
  });
});
