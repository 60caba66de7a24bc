import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REDACTED, Redactor } from '../../src/core/redact.js';
import { AuditLog } from '../../src/report/audit-log.js';

const root = mkdtempSync(join(tmpdir(), 'zantara-log-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (name = 'audit.jsonl') => join(mkdtempSync(join(root, `case-${++n}-`)), name);
const mode = (path: string) => statSync(path).mode & 0o777;
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

function open(path: string | undefined, redactor = new Redactor()) {
  const warn = vi.fn<(message: string) => void>();
  const log = AuditLog.open({ path, redactor, warn });
  return { log, warn };
}

describe('AuditLog: where and how the file is created', () => {
  beforeEach(() => {
    // os.tmpdir() follows TMPDIR: the default log goes under a directory this test owns.
    vi.stubEnv('TMPDIR', mkdtempSync(join(root, 'tmp-')));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('default: audit.jsonl in a fresh private directory (0700) under the OS temp dir, file mode 0600', () => {
    const { log, warn } = open(undefined);
    const path = log.path as string;
    expect(dirname(dirname(path))).toBe(tmpdir());
    expect(basename(dirname(path))).toMatch(/^zantara-audit-[A-Za-z0-9]{6}$/);
    expect(basename(path)).toBe('audit.jsonl');
    expect(mode(dirname(path))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    log.close();
    expect(warn).not.toHaveBeenCalled();
  });

  it('two logs opened at the same moment get two directories', () => {
    const a = open(undefined).log;
    const b = open(undefined).log;
    expect(a.path).not.toBe(b.path);
    a.close();
    b.close();
  });

  it('--log <path>: created with mode 0600', () => {
    const path = fresh();
    const { log } = open(path);
    expect(log.path).toBe(path);
    expect(mode(path)).toBe(0o600);
    log.close();
  });

  it('a symlink planted at the path is not followed: its target is untouched, one warning, writes go nowhere', () => {
    const path = fresh();
    const victim = join(dirname(path), 'victim.txt');
    writeFileSync(victim, 'original\n');
    symlinkSync(victim, path);
    const { log, warn } = open(path);
    expect(log.path).toBeUndefined();
    log.write('run', { secret: 'x' });
    log.write('footer', {});
    log.close();
    expect(readFileSync(victim, 'utf8')).toBe('original\n');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path)).toBe(victim);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe(`audit log not written: cannot create ${path} (a file or link already exists there and is never overwritten); the audit goes on`);
  });

  it('a dangling symlink is not followed either: its target is never created', () => {
    const path = fresh();
    const target = join(dirname(path), 'would-be-created');
    symlinkSync(target, path);
    const { log, warn } = open(path);
    log.write('run', {});
    expect(existsSync(target)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('an existing file is not overwritten or appended to', () => {
    const path = fresh();
    writeFileSync(path, 'previous run\n');
    const { log, warn } = open(path);
    log.write('run', {});
    log.close();
    expect(readFileSync(path, 'utf8')).toBe('previous run\n');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('an unusable temp dir: one warning, no path, and writing is a no-op that never throws', () => {
    vi.stubEnv('TMPDIR', join(root, 'does-not-exist', 'deeper'));
    const { log, warn } = open(undefined);
    expect(log.path).toBeUndefined();
    expect(() => log.write('run', {})).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^audit log not written: cannot create a directory in .*does-not-exist\/deeper \(ENOENT\); the audit goes on$/);
  });

  it('disabled (--no-log): nothing created, no warning', () => {
    const { log, warn } = (() => {
      const w = vi.fn();
      return { log: AuditLog.open({ disabled: true, redactor: new Redactor(), warn: w }), warn: w };
    })();
    expect(log.path).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('AuditLog: content', () => {
  it('every line is one complete JSON object with type and time, even with newlines in values', () => {
    const path = fresh();
    const { log } = open(path);
    log.write('run', { command: 'health' });
    log.write('observation', { body: 'line 1\nline 2\r\n{"not":"a line"}' });
    log.write('footer', { interrupted: 'SIGINT' });
    log.close();
    log.write('after-close', {});
    const parsed = lines(path).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p.type)).toEqual(['run', 'observation', 'footer']);
    for (const p of parsed) expect(typeof p.at === 'string' && !Number.isNaN(Date.parse(p.at))).toBe(true);
    expect(parsed[1]?.body).toBe('line 1\nline 2\r\n{"not":"a line"}');
  });

  it('redacts secret headers by name and configured secret values anywhere', () => {
    const redactor = new Redactor();
    redactor.addSecret('Bearer s3cr3t');
    redactor.addUrlSecrets('https://api.example.com/?token=t0k3n');
    const path = fresh();
    const { log } = open(path, redactor);
    log.write('observation', {
      request: {
        method: 'GET',
        url: 'https://api.example.com/health?token=t0k3n',
        headers: { Authorization: 'Bearer other-value', cookie: 'sid=abc123', origin: 'https://app.example' },
      },
      response: {
        rawHeaders: [
          ['Set-Cookie', 'sid=abc123; HttpOnly'],
          ['X-Echo', 'you sent s3cr3t'],
        ],
        body: 'echo: Bearer s3cr3t',
      },
    });
    log.close();
    const text = readFileSync(path, 'utf8');
    for (const leak of ['s3cr3t', 't0k3n', 'other-value', 'abc123']) expect(text).not.toContain(leak);
    const [line] = lines(path).map((l) => JSON.parse(l) as { request: { headers: Record<string, string>; url: string }; response: { rawHeaders: string[][]; body: string } });
    expect(line?.request.headers).toEqual({ Authorization: REDACTED, cookie: REDACTED, origin: 'https://app.example' });
    expect(line?.request.url).toBe(`https://api.example.com/health?token=${REDACTED}`);
    expect(line?.response.rawHeaders).toEqual([
      ['Set-Cookie', REDACTED],
      ['X-Echo', `you sent ${REDACTED}`],
    ]);
    expect(line?.response.body).toBe(`echo: ${REDACTED}`);
  });
});

describe('Redactor', () => {
  const r = new Redactor();
  r.addSecret('Bearer s3cr3t');

  it.each([
    ['the whole header value', 'Authorization: Bearer s3cr3t', `Authorization: ${REDACTED}`],
    ['the token alone', 'token s3cr3t seen', `token ${REDACTED} seen`],
    ['the token inside other text', 'xs3cr3tx', `x${REDACTED}x`],
    ['the URL-encoded value', 'q=Bearer%20s3cr3t', `q=${REDACTED}`],
    ['every occurrence', 's3cr3t s3cr3t', `${REDACTED} ${REDACTED}`],
    ['nothing else', 'Bearer token', 'Bearer token'],
  ])('replaces %s', (_, input, output) => {
    expect(r.redact(input)).toBe(output);
  });

  it('secrets from a URL: password and secret-looking query parameters, not ordinary ones', () => {
    const u = new Redactor();
    u.addUrlSecrets('https://user:p%40ssw0rd@api.example.com/x?token=s3cr3t&access_token=abcd1234&page=2&lang=en');
    expect(u.redact('p@ssw0rd s3cr3t abcd1234 page=2 lang=en')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} page=2 lang=en`);
    expect(u.redact('https://api.example.com/x?token=s3cr3t')).toBe(`https://api.example.com/x?token=${REDACTED}`);
  });

  it('values shorter than 4 characters are not redacted as text (they would eat ordinary words) but are masked by header name', () => {
    const short = new Redactor();
    short.addSecret('abc');
    expect(short.redact('abc')).toBe('abc');
    expect(JSON.parse(short.json({ headers: { 'X-Api-Key': 'abc', Accept: 'abc' } }))).toEqual({ headers: { 'X-Api-Key': REDACTED, Accept: 'abc' } });
  });

  it('json() masks secret header names in any case, in objects and raw [name, value] pairs', () => {
    const masked = JSON.parse(
      new Redactor().json({
        h: { AUTHORIZATION: 'x', 'Proxy-Authorization': 'y', 'x-api-key': 'z', Accept: 'json' },
        raw: [
          ['cookie', 'a=b'],
          ['Accept', 'json'],
        ],
      }),
    );
    expect(masked).toEqual({
      h: { AUTHORIZATION: REDACTED, 'Proxy-Authorization': REDACTED, 'x-api-key': REDACTED, Accept: 'json' },
      raw: [
        ['cookie', REDACTED],
        ['Accept', 'json'],
      ],
    });
  });
});
