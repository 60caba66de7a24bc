import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests spawn the built CLI and a reference server: keep the 2-core machine calm.
    pool: 'forks',
    // One file at a time: each spawns the CLI, a reference server and sometimes Chromium, and
    // the audits measure the reference server's event-loop lag, which a starved CPU inflates.
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
