import { defineConfig } from 'vitest/config';

// Integration suites start real git servers, processes, databases and browsers, so they get
// generous timeouts; timing is never asserted (that is what `npm run bench` is for).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
