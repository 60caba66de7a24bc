/**
 * The probe classes, one row each: which origin to send (null = not applicable to this host) and
 * what it means when that origin is allowed. Documented in docs/checks.md (CORS probes).
 */
/** Who can host a page on the probe origin; drives severity in ../judge/hostile-origin.ts. */
export type Exploitability = 'anyone' | 'sibling' | 'network' | 'local';

/** The allowed origin taken apart once, for the rows of PROBE_KINDS below. */
export interface OriginParts {
  url: URL;
  host: string;
  labels: string[];
  ip: boolean;
  reg: string | null;
  evil: string;
}

export interface ProbeKind {
  kind: string;
  exploitability: (o: OriginParts) => Exploitability;
  origin: (o: OriginParts) => string | null;
  /** Why this probe means nothing for this app origin, said in a `skip` finding (null: it applies, or it is silently not sent). */
  meaningless?: (o: OriginParts) => string | null;
  description: (o: OriginParts) => string;
  whatItMeans: (o: OriginParts) => string;
}

const REGISTER = 'anyone can register this domain';
const GENERIC_LABELS = new Set(['www', 'app', 'api', 'web', 'm']);
const anyone = (): Exploitability => 'anyone';
/** IPs and single-label hosts (localhost) have no registrable look-alikes. */
const named = (o: OriginParts): boolean => !o.ip && o.labels.length > 1;
const suffixHost = (o: OriginParts): string => `evil${o.host}`;
const suffixIsSibling = (o: OriginParts): boolean => o.reg !== null && suffixHost(o).endsWith(`.${o.reg}`);
const first = (o: OriginParts): string => o.labels[0] ?? o.host;
const regLabel = (o: OriginParts): string | null => o.reg?.split('.')[0] ?? null;

/**
 * A hostile host with the app origin's own scheme and port: an allowlist written for
 * `http://app.example.test:8080` (staging, preview, local development) is probed as the browser
 * would meet it there, so `^http://app\.example\.test` without an end anchor is caught.
 */
const like = (o: OriginParts, host: string): string => `${o.url.protocol}//${host}${o.url.port ? `:${o.url.port}` : ''}`;

function otherPort(url: URL): string {
  if (!url.port) return url.protocol === 'https:' ? '8443' : '8080';
  const port = Number(url.port);
  return String(port < 65535 ? port + 1 : port - 1);
}

export const PROBE_KINDS: readonly ProbeKind[] = [
  {
    kind: 'arbitrary',
    exploitability: anyone,
    origin: (o) => like(o, o.evil),
    description: () => 'an unrelated origin',
    whatItMeans: () => 'the server reflects any Origin: every website can read these responses',
  },
  {
    kind: 'null',
    exploitability: anyone,
    origin: () => 'null',
    description: () => 'the opaque origin `null`',
    whatItMeans: () => 'sandboxed iframes and data: documents send Origin: null, so any site can use it',
  },
  {
    kind: 'prefix',
    exploitability: anyone,
    origin: (o) => like(o, `${o.host}.${o.evil}`),
    description: () => 'the allowed host as a prefix of another domain',
    whatItMeans: () => `the check is startsWith() or an unanchored regex: ${REGISTER}`,
  },
  {
    kind: 'special-char',
    exploitability: anyone,
    origin: (o) => like(o, `${o.host}_.${o.evil}`),
    description: () => 'the allowed host followed by `_` (Chrome and Firefox send it)',
    whatItMeans: () => `the check stops at a character it does not expect: ${REGISTER}`,
  },
  {
    kind: 'suffix',
    exploitability: (o) => (suffixIsSibling(o) ? 'sibling' : 'anyone'),
    origin: (o) => (named(o) ? like(o, suffixHost(o)) : null),
    description: () => 'a host ending with the allowed host name',
    whatItMeans: (o) => `the check is endsWith("${o.host}") without a dot: ${suffixIsSibling(o) ? `whoever controls any name under ${o.reg} gets in` : REGISTER}`,
  },
  {
    kind: 'suffix-domain',
    exploitability: anyone,
    origin: (o) => (named(o) && o.reg && o.reg !== o.host ? like(o, `evil${o.reg}`) : null),
    description: () => 'a domain ending with the registrable domain',
    whatItMeans: (o) => `the check is endsWith("${o.reg}") without a dot: ${REGISTER}`,
  },
  {
    kind: 'unescaped-dot',
    exploitability: anyone,
    // Replacing every dot but the last keeps a registrable name: zantara.balizero.com -> zantaraxbalizero.com.
    origin: (o) => (!named(o) ? null : like(o, o.labels.length > 2 ? `${o.labels.slice(0, -1).join('x')}.${o.labels.at(-1)}` : `${o.labels.join('x')}.${o.evil}`)),
    description: () => 'the allowed host with a dot replaced by a letter',
    whatItMeans: () => `the allowlist is a regex with unescaped dots (\`.\` matches any character): ${REGISTER}`,
  },
  {
    kind: 'contains-name',
    exploitability: anyone,
    origin: (o) => (named(o) && o.labels.length > 2 && !GENERIC_LABELS.has(first(o)) ? like(o, `${first(o)}.${o.evil}`) : null),
    description: (o) => `a domain containing the app's name "${first(o)}"`,
    whatItMeans: (o) => `the check is includes("${first(o)}"): ${REGISTER}`,
  },
  {
    kind: 'contains-domain',
    exploitability: anyone,
    origin: (o) => (named(o) && regLabel(o) && regLabel(o) !== first(o) ? like(o, `${regLabel(o)}.${o.evil}`) : null),
    description: (o) => `a domain containing "${regLabel(o)}"`,
    whatItMeans: (o) => `the check is includes("${regLabel(o)}"): ${REGISTER}`,
  },
  {
    kind: 'dev-host',
    exploitability: anyone,
    origin: (o) => like(o, `localhost.${o.evil}`),
    description: () => 'a domain containing `localhost`',
    whatItMeans: () => `the check looks for "localhost" anywhere in the origin: ${REGISTER}`,
  },
  {
    kind: 'loopback-host',
    exploitability: anyone,
    origin: (o) => like(o, `127.0.0.1.${o.evil}`),
    description: () => 'a domain containing `127.0.0.1`',
    whatItMeans: () => `the check looks for "127.0.0.1" anywhere in the origin: ${REGISTER}`,
  },
  {
    kind: 'localhost',
    exploitability: () => 'local',
    origin: () => 'http://localhost:3000',
    description: () => "a development origin on the visitor's machine",
    whatItMeans: () => "a development origin is in the production allowlist: any local app or dev server on a visitor's machine can read these responses",
  },
  {
    kind: 'subdomain',
    exploitability: () => 'sibling',
    origin: (o) => (named(o) && o.reg ? like(o, `evil.${o.reg}`) : null),
    description: (o) => `a subdomain of ${o.reg}`,
    whatItMeans: (o) => `every subdomain of ${o.reg} is trusted: an XSS or a dangling DNS record on any of them is enough`,
  },
  {
    kind: 'downgrade',
    exploitability: () => 'network',
    origin: (o) => (o.url.protocol === 'https:' ? `http://${o.url.host}` : null),
    meaningless: (o) => (o.url.protocol === 'https:' ? null : `the app origin ${o.url.origin} is already http: there is no weaker scheme to downgrade to`),
    description: () => 'the allowed host over plain http',
    whatItMeans: () => 'an http page on the same host is trusted: a network attacker can inject one and read the https API',
  },
  {
    kind: 'port',
    exploitability: () => 'sibling',
    origin: (o) => `${o.url.protocol}//${o.url.hostname}:${otherPort(o.url)}`,
    description: () => 'the allowed host on another port',
    whatItMeans: () => 'the port is ignored: any other service on that host can read these responses',
  },
];
