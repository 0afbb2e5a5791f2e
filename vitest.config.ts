import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each database test file opens its own PGlite (a few seconds of start-up); two cores, two workers.
    maxWorkers: 2,
  },
});
