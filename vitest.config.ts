import { defineConfig } from 'vitest/config';

// Integration suites start real git servers, processes, databases and browsers, so they get
// generous timeouts; timing is never asserted (that is what `npm run bench` is for).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Most suites wait on real processes, git, databases and browsers rather than burn CPU, so
    // more files than cores run at once (vitest's default on 2 cores would be one at a time).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
