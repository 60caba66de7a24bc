import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { overridesFromFlags, parseHeader, parseInteger, type FlagValues } from '../../src/cli/flags.js';
import { DEFAULT_CONFIG_FILE, loadConfig, type LoadOptions } from '../../src/config/load.js';
import { configSchema } from '../../src/checks/config.js';
import { CONTRACT } from '../../src/config/schema.js';
import { UsageError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'zantara-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A config file with this content (an object is written as JSON, a string as is). */
function configFile(content: unknown): string {
  const file = join(dir, `config-${++files}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** loadConfig isolated from the real environment and working directory. */
function load(options: LoadOptions & { flags?: FlagValues } = {}) {
  const { flags, ...rest } = options;
  return loadConfig(configSchema, { cwd: dir, env: {}, ...rest, overrides: flags ? overridesFromFlags(flags, 'health') : rest.overrides });
}

/** The UsageError a call throws (exit 2), or a test failure. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

describe('precedence: flags > env > file > defaults', () => {
  const file = configFile({ targets: { gateway: { url: 'https://file.example' } }, origin: 'https://file-app.example', timeoutMs: 3000 });
  const env = { ZANTARA_GATEWAY_URL: 'https://env.example', ZANTARA_ORIGIN: 'https://env-app.example' };
  const flags = { gateway: 'https://flag.example', timeout: '1500' };

  it.each([
    ['defaults only', {}, CONTRACT.gateway, CONTRACT.origin, 10_000, undefined],
    ['file over defaults', { configFile: file }, 'https://file.example', 'https://file-app.example', 3000, `file ${file}`],
    ['env over file', { configFile: file, env }, 'https://env.example', 'https://env-app.example', 3000, 'env ZANTARA_GATEWAY_URL'],
    ['flags over env', { configFile: file, env, flags }, 'https://flag.example', 'https://env-app.example', 1500, 'flag --gateway'],
  ] as const)('%s', (_, options, gateway, origin, timeoutMs, source) => {
    const { config, sources } = load({ ...options });
    expect(config.targets.gateway.url).toBe(gateway);
    expect(config.origin).toBe(origin);
    expect(config.timeoutMs).toBe(timeoutMs);
    expect(config.targets.rag.url).toBe(CONTRACT.rag);
    expect(sources.get('targets.gateway.url')).toBe(source);
  });

  it('an empty environment variable is unset (the file value stays)', () => {
    expect(load({ configFile: file, env: { ZANTARA_GATEWAY_URL: '' } }).config.targets.gateway.url).toBe('https://file.example');
  });

  it(`reads ./${DEFAULT_CONFIG_FILE} from the working directory when no --config is given`, () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(join(cwd, DEFAULT_CONFIG_FILE), JSON.stringify({ origin: 'https://implicit.example' }));
    const loaded = loadConfig(configSchema, { cwd, env: {} });
    expect(loaded.config.origin).toBe('https://implicit.example');
    expect(loaded.file).toBe(join(cwd, DEFAULT_CONFIG_FILE));
  });

  it('--skip adds to the file list; --header replaces a file header of the same name in any case', () => {
    const f = configFile({ skip: ['metrics'], headers: { authorization: 'Bearer from-file', 'X-Keep': 'kept' } });
    const { config, sources } = load({ configFile: f, flags: { skip: ['health.latency'], header: ['Authorization: Bearer from-flag'] } });
    expect(config.skip).toEqual(['metrics', 'health.latency']);
    expect(config.headers).toEqual({ 'X-Keep': 'kept', Authorization: 'Bearer from-flag' });
    expect(sources.get('headers.Authorization')).toBe('flag --header');
    expect(sources.has('headers.authorization')).toBe(false);
  });
});

describe('config errors: one line naming the field, its source and what is expected', () => {
  const badUrl = /^config error: targets\.gateway\.url \(from (.+)\): expected an absolute http\(s\) URL/;

  it.each([
    ['flag --gateway', () => load({ flags: { gateway: 'notaurl' } })],
    ['env ZANTARA_GATEWAY_URL', () => load({ env: { ZANTARA_GATEWAY_URL: 'notaurl' } })],
    ['file', () => load({ configFile: configFile({ targets: { gateway: { url: 'ftp://x.example' } } }) })],
  ])('a bad gateway URL from %s', (source, fn) => {
    const { message } = usageError(fn);
    expect(message).toMatch(badUrl);
    expect(badUrl.exec(message)?.[1]).toMatch(source === 'file' ? new RegExp(`^file ${dir}/config-\\d+\\.json$`) : new RegExp(`^${source}$`));
    expect(message).not.toContain('\n');
  });

  it.each([
    ['a path', 'https://app.example/path'],
    ['a trailing slash', 'https://app.example/'],
    ['upper case', 'https://App.example'],
    ['no scheme', 'app.example'],
  ])('an origin with %s', (_, origin) => {
    expect(usageError(() => load({ flags: { origin } })).message).toMatch(
      /^config error: origin \(from flag --origin\): expected an origin like https:\/\/app\.example\.com \(scheme and host, optional port, no path or trailing slash/,
    );
  });

  it('an unknown key is named, with the file it came from', () => {
    const file = configFile({ targets: { gateway: { url: 'https://ok.example', healthpath: '/h' } } });
    expect(usageError(() => load({ configFile: file })).message).toBe(`config error: targets.gateway.healthpath (from file ${file}): unknown key "healthpath"`);
    const top = configFile({ timeout: 5 });
    expect(usageError(() => load({ configFile: top })).message).toBe(`config error: timeout (from file ${top}): unknown key "timeout"`);
  });

  it('a wrong type names the field and the expected type', () => {
    const file = configFile({ timeoutMs: '5000' });
    expect(usageError(() => load({ configFile: file })).message).toMatch(new RegExp(`^config error: timeoutMs \\(from file ${file}\\): .*expected number, received string`));
    const strict = configFile({ strict: 'yes' });
    expect(usageError(() => load({ configFile: strict })).message).toMatch(/^config error: strict \(from file .*\): .*expected boolean/);
  });

  it('a wrong type in the file is reported even when a flag or env var sets a value below it', () => {
    const file = configFile({ targets: 'oops' });
    const fromEnv = () => load({ configFile: file, env: { ZANTARA_GATEWAY_URL: 'https://env.example' } });
    expect(usageError(fromEnv).message).toMatch(new RegExp(`^config error: targets \\(from file ${file}\\): .*expected object, received string`));
    expect(usageError(() => load({ configFile: file, flags: { gateway: 'https://flag.example' } })).message).toMatch(/^config error: targets \(from file /);
  });

  it('an unreadable or missing file', () => {
    const asDir = join(dir, 'a-directory.json');
    mkdirSync(asDir);
    expect(usageError(() => load({ configFile: asDir })).message).toBe(`cannot read config file ${asDir} (EISDIR)`);
    const missing = join(dir, 'missing.json');
    const err = usageError(() => load({ configFile: missing }));
    expect(err.message).toBe(`cannot read config file ${missing} (ENOENT)`);
    expect(err.hint).toMatch(/--config/);
  });

  it('invalid JSON, and JSON that is not an object', () => {
    const broken = configFile('{"origin": ');
    expect(usageError(() => load({ configFile: broken })).message).toMatch(new RegExp(`^config file ${broken} is not valid JSON: `));
    const list = configFile([1, 2]);
    expect(usageError(() => load({ configFile: list })).message).toBe(`config file ${list}: expected a JSON object at the top level`);
  });
});

describe('${VAR} interpolation in config values', () => {
  it('replaces variables anywhere in strings, nested objects and arrays', () => {
    const file = configFile({ targets: { rag: { url: 'https://${RAG_HOST}:8443' } }, headers: { Authorization: 'Bearer ${TOKEN}' }, skip: ['${SKIP_ID}'] });
    const { config } = load({ configFile: file, env: { RAG_HOST: 'rag.internal', TOKEN: 't0ken', SKIP_ID: 'metrics' } });
    expect(config.targets.rag.url).toBe('https://rag.internal:8443');
    expect(config.headers).toEqual({ Authorization: 'Bearer t0ken' });
    expect(config.skip).toEqual(['metrics']);
  });

  it.each([
    ['missing', {}, 'not set'],
    ['empty', { TOKEN: '' }, 'empty'],
  ])('a %s variable is an error naming it and the field, never an empty token', (_, env, why) => {
    const file = configFile({ headers: { Authorization: 'Bearer ${TOKEN}' } });
    expect(usageError(() => load({ configFile: file, env })).message).toBe(`config file ${file}: headers.Authorization uses \${TOKEN}, but environment variable TOKEN is ${why}`);
  });

  it('leaves text that only looks like a variable alone', () => {
    const file = configFile({ headers: { 'X-Note': '$TOKEN and ${ not-a-var }' } });
    expect(load({ configFile: file }).config.headers['X-Note']).toBe('$TOKEN and ${ not-a-var }');
  });
});

describe('flags (src/cli/flags.ts)', () => {
  it.each([
    ['NoColon', 'Authorization Bearer s3cr3t'],
    ['an empty name', ': s3cr3t'],
    ['a space in the name', 'Bad Name: s3cr3t'],
  ])('--header with %s: usage error that never echoes the value', (_, line) => {
    const err = usageError(() => overridesFromFlags({ header: [line] }, 'health'));
    expect(err.message).toBe('--header: expected "Name: value", got a value without a valid "Name:" part');
    expect(`${err.message} ${err.hint}`).not.toContain('s3cr3t');
  });

  it('--header keeps colons in the value and trims around it', () => {
    expect(parseHeader('Authorization:  Bearer a:b ')).toEqual(['Authorization', 'Bearer a:b']);
  });

  it.each(['abc', '1.5', '-1', '', '10ms'])('--timeout %j is not a whole number', (value) => {
    expect(usageError(() => overridesFromFlags({ timeout: value }, 'health')).message).toBe(`--timeout: expected a whole number, got "${value}"`);
  });

  it('--timeout and --retries become numbers at their config paths, tagged with the flag', () => {
    expect(overridesFromFlags({ timeout: '2500', retries: '2' }, 'health')).toEqual([
      { path: ['timeoutMs'], value: 2500, source: 'flag --timeout' },
      { path: ['retries'], value: 2, source: 'flag --retries' },
    ]);
    expect(parseInteger('--retries', ' 3 ')).toBe(3);
  });

  it('a whole number out of range is a config error naming the flag', () => {
    expect(usageError(() => load({ flags: { timeout: '0' } })).message).toMatch(/^config error: timeoutMs \(from flag --timeout\): /);
    expect(usageError(() => load({ flags: { retries: '11' } })).message).toMatch(/^config error: retries \(from flag --retries\): /);
  });
});
