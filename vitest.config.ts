import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // Generous: a beforeAll that migrates PGlite and seeds can take a minute on a loaded 2-core machine.
    hookTimeout: 120_000,
    // Files run in parallel, each on its own database (see test/support/database.ts).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
