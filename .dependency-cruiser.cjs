/**
 * The floor plan (docs/ARCHITECTURE.md) as rules: check areas side by side, nothing below
 * importing up, no circles. `npm run lint` fails on a break. Type-only imports count too.
 */
module.exports = {
  forbidden: [
    {
      name: 'areas-side-by-side',
      comment:
        'A check area (src/checks/<a>/) never imports another area: shared knowledge goes below the checks (src/fetch, src/sse, src/prometheus, src/latency, src/core) or to the checks level (src/checks/*.ts).',
      severity: 'error',
      from: { path: '^src/checks/([^/]+)/' },
      to: { path: '^src/checks/[^/]+/', pathNot: '^src/checks/$1/' },
    },
    {
      name: 'protocol-below-checks',
      comment: 'The protocol and base layers (core, fetch, sse, prometheus, latency, http, config) know nothing of checks, commands, reporters or the reference server.',
      severity: 'error',
      from: { path: '^src/(core|fetch|sse|prometheus|latency|http|config)/' },
      to: { path: '^src/(checks|cli|report|server)/' },
    },
    {
      name: 'core-is-the-floor',
      comment: 'core (findings, verdicts, errors, exit codes, redaction) imports nothing of the project above it.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(config|http|fetch|sse|prometheus|latency)/' },
    },
    {
      name: 'checks-not-cli',
      comment: 'Checks are run by the commands, never the other way round.',
      severity: 'error',
      from: { path: '^src/checks/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'server-alone',
      comment: 'The reference server is a target: it shares the protocol layers, not the checks or the CLI.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/(checks|cli)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
