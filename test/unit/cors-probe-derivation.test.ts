import { describe, expect, it } from 'vitest';
import { judgeProbePair } from '../../src/checks/cors/judge/hostile-origin.js';
import { meaninglessProbes, probeOrigins } from '../../src/checks/cors/hostile-origins/origins.js';
import { prefixRegex } from '../../src/server/gateway-cors.js';
import { obs, raw } from './cors-fixtures.js';

const HTTP_APP = 'http://app.example.test:8080';
const byKind = (origin: string) => new Map(probeOrigins(origin).map((p) => [p.kind, p.origin]));

describe('probe origins keep the app origin scheme and port (issue 10, item 1)', () => {
  it('an http app origin with a port: every look-alike is http on that port', () => {
    const probes = byKind(HTTP_APP);
    expect(
      Object.fromEntries(
        ['arbitrary', 'prefix', 'special-char', 'suffix', 'suffix-domain', 'unescaped-dot', 'contains-name', 'contains-domain', 'dev-host', 'loopback-host', 'subdomain'].map(
          (k) => [k, probes.get(k)],
        ),
      ),
    ).toEqual({
      arbitrary: 'http://evil.example:8080',
      prefix: 'http://app.example.test.evil.example:8080',
      'special-char': 'http://app.example.test_.evil.example:8080',
      suffix: 'http://evilapp.example.test:8080',
      'suffix-domain': 'http://evilexample.test:8080',
      'unescaped-dot': 'http://appxexample.test:8080',
      'contains-name': undefined, // `app` is a generic label: includes("app") is not probed
      'contains-domain': 'http://example.evil.example:8080',
      'dev-host': 'http://localhost.evil.example:8080',
      'loopback-host': 'http://127.0.0.1.evil.example:8080',
      subdomain: 'http://evil.example.test:8080',
    });
  });

  it('the probes whose subject is the port or the scheme, the development origin and the https-only platforms are not derived', () => {
    const probes = byKind(HTTP_APP);
    expect(probes.get('port')).toBe('http://app.example.test:8081');
    expect(probes.get('localhost')).toBe('http://localhost:3000');
    expect(probes.get('platform.vercel-app')).toBe('https://app-evil.vercel.app');
    expect(probes.get('null')).toBe('null');
    expect(byKind('http://app.example.test').get('port')).toBe('http://app.example.test:8080');
  });

  it('downgrade has no meaning for an http origin: not sent, and the reason is given', () => {
    expect(byKind(HTTP_APP).has('downgrade')).toBe(false);
    expect(meaninglessProbes(HTTP_APP)).toEqual([{ kind: 'downgrade', reason: expect.stringMatching(/already http/) }]);
    expect(meaninglessProbes('https://zantara.balizero.com')).toEqual([]);
  });

  it('an https origin with a port keeps it; downgrade keeps the port and changes the scheme', () => {
    const probes = byKind('https://app.example.test:8443');
    expect(probes.get('prefix')).toBe('https://app.example.test.evil.example:8443');
    expect(probes.get('downgrade')).toBe('http://app.example.test:8443');
    expect(probes.get('port')).toBe('https://app.example.test:8444');
  });
});

describe('a start-anchored regex without an end anchor on an http app origin', () => {
  // What cors({origin: /^http:\/\/app\.example\.test/}), flask-cors or django-cors-headers answer.
  const rule = prefixRegex(HTTP_APP);
  const answer = (origin: string) =>
    obs({
      url: 'http://127.0.0.1:9/health',
      headers: rule.test(origin) ? raw(`Access-Control-Allow-Origin: ${origin}`, 'Access-Control-Allow-Credentials: true', 'Vary: Origin') : raw('Vary: Origin'),
    });
  const judged = new Map(
    probeOrigins(HTTP_APP)
      .flatMap((p) => judgeProbePair(p, answer(p.origin), answer(p.origin)))
      .map((f) => [f.id, f]),
  );

  it('the rule is the classic one: the app passes, an https look-alike without the port does not', () => {
    expect(rule.source).toBe('^http:\\/\\/app\\.example\\.test');
    expect(rule.test(HTTP_APP)).toBe(true);
    // The probe as it was derived before: scheme https, no port. The rule refuses it, so the hole was missed.
    expect(rule.test('https://app.example.test.evil.example')).toBe(false);
  });

  it('cors.probe.prefix FAILS (critical): http://app.example.test.evil.example:8080 reads credentialed responses', () => {
    expect(judged.get('cors.probe.prefix')).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(judged.get('cors.probe.prefix')?.title).toContain('http://app.example.test.evil.example:8080');
    expect(judged.get('cors.probe.special-char')).toMatchObject({ status: 'fail' });
    expect(judged.get('cors.probe.port')).toMatchObject({ status: 'fail', severity: 'high' });
  });

  it('the probes the rule does refuse pass', () => {
    for (const id of ['cors.probe.arbitrary', 'cors.probe.null', 'cors.probe.suffix', 'cors.probe.subdomain', 'cors.probe.localhost'])
      expect(judged.get(id)?.status, id).toBe('pass');
  });
});
