import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { registrableDomain } from '../../src/checks/cors/hostile-origins/domain.js';
import { probeOrigins } from '../../src/checks/cors/hostile-origins/origins.js';
import { HOSTING_PLATFORMS } from '../../src/checks/cors/hostile-origins/platforms.js';

const APP = 'https://zantara.balizero.com';
const byKind = (origin: string) => new Map(probeOrigins(origin).map((p) => [p.kind, p]));

describe('probeOrigins (docs/checks.md, CORS probes)', () => {
  const probes = byKind(APP);

  it.each([
    ['arbitrary', 'https://evil.example', 'anyone'],
    ['null', 'null', 'anyone'],
    ['prefix', 'https://zantara.balizero.com.evil.example', 'anyone'],
    ['suffix', 'https://evilzantara.balizero.com', 'sibling'],
    ['suffix-domain', 'https://evilbalizero.com', 'anyone'],
    ['unescaped-dot', 'https://zantaraxbalizero.com', 'anyone'],
    ['special-char', 'https://zantara.balizero.com_.evil.example', 'anyone'],
    ['dev-host', 'https://localhost.evil.example', 'anyone'],
    ['loopback-host', 'https://127.0.0.1.evil.example', 'anyone'],
    ['contains-name', 'https://zantara.evil.example', 'anyone'],
    ['contains-domain', 'https://balizero.evil.example', 'anyone'],
    ['subdomain', 'https://evil.balizero.com', 'sibling'],
    ['downgrade', 'http://zantara.balizero.com', 'network'],
    ['port', 'https://zantara.balizero.com:8443', 'sibling'],
    ['platform.vercel-app', 'https://zantara-evil.vercel.app', 'anyone'],
    ['platform.github-io', 'https://zantara-evil.github.io', 'anyone'],
    ['platform.fly-dev', 'https://zantara-evil.fly.dev', 'anyone'],
  ])('%s → %s (%s)', (kind, origin, exploitability) => {
    expect(probes.get(kind)).toMatchObject({ origin, exploitability });
    expect(probes.get(kind)?.description).toBeTruthy();
    expect(probes.get(kind)?.whatItMeans).toBeTruthy();
  });

  it('derives from the app origin, never sends the allowed origin, has no duplicates, and is deterministic', () => {
    const list = probeOrigins(APP);
    const origins = list.map((p) => p.origin);
    expect(origins).not.toContain(APP);
    expect(new Set(origins).size).toBe(origins.length);
    expect(new Set(list.map((p) => p.kind)).size).toBe(list.length);
    expect(probeOrigins(APP)).toEqual(list);
    expect(origins.every((o) => !o.includes('fly.dev') || o.endsWith('-evil.fly.dev'))).toBe(true);
  });

  it('every probe origin is something a browser can send (a serialized origin)', () => {
    for (const p of probeOrigins(APP)) if (p.origin !== 'null') expect(new URL(p.origin).origin).toBe(p.origin);
  });

  it('covers every maintained hosting platform, and the list is configurable', () => {
    expect(probeOrigins(APP).filter((p) => p.kind.startsWith('platform.'))).toHaveLength(HOSTING_PLATFORMS.length);
    expect(probeOrigins(APP, { platforms: [] }).some((p) => p.kind.startsWith('platform.'))).toBe(false);
    expect(probeOrigins(APP, { attackerDomain: 'attacker.test' }).find((p) => p.kind === 'prefix')?.origin).toBe('https://zantara.balizero.com.attacker.test');
  });

  it('http origins get no downgrade probe; a non-default port gets a neighbouring port', () => {
    const local = byKind('http://127.0.0.1:5173');
    expect(local.has('downgrade')).toBe(false);
    expect(local.get('port')?.origin).toBe('http://127.0.0.1:5174');
    expect(local.has('suffix')).toBe(false);
  });

  it('a two-label host: the suffix probe is registrable by anyone', () => {
    expect(byKind('https://balizero.com').get('suffix')).toMatchObject({
      origin: 'https://evilbalizero.com',
      exploitability: 'anyone',
    });
  });

  it('an app hosted on a platform: look-alike siblings are registrable by anyone', () => {
    expect(byKind('https://myapp.vercel.app').get('suffix')).toMatchObject({
      origin: 'https://evilmyapp.vercel.app',
      exploitability: 'anyone',
    });
  });

  it('rejects an origin that is not http(s) with a usage error (exit 2)', () => {
    expect(() => probeOrigins('not a url')).toThrow(UsageError);
    expect(() => probeOrigins('null')).toThrow(UsageError);
    expect(() => probeOrigins('ftp://x.example')).toThrow(UsageError);
  });
});

describe('registrableDomain', () => {
  it.each([
    ['zantara.balizero.com', 'balizero.com'],
    ['balizero.com', 'balizero.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['shop.balizero.co.id', 'balizero.co.id'],
    ['myapp.vercel.app', 'myapp.vercel.app'],
    ['x.y.up.railway.app', 'y.up.railway.app'],
    ['vercel.app', null],
    ['localhost', null],
    ['127.0.0.1', null],
    ['[::1]', null],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});
