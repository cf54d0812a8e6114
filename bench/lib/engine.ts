import { join } from 'node:path';
import { createTargetDriver, teardownTargets } from '../../src/cli/up/targets.js';
import { type SourceProvider, silentLogger } from '../../src/core/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/index.js';
import { createEngine } from '../../src/engine/index.js';
import { createGitSourceWithHooks } from '../../src/source/git/git-source.js';
import type { SpawnHook } from '../../src/source/git/index.js';
import { openStore } from '../../src/store/index.js';

/** Time spent in `fetch`, for splitting commit-to-applied into its steps. */
export interface FetchClock {
  lastMs: number;
}

/** An engine with the real process driver, git source and SQLite store in `dataDir`. */
export async function benchEngine(
  repoUrl: string,
  dataDir: string,
  options: { concurrency?: number; onGitSpawn?: SpawnHook } = {},
) {
  const store = await openStore(`sqlite:${join(dataDir, 'wheelhouse.db')}`);
  const git = createGitSourceWithHooks(
    { dataDir, log: silentLogger },
    options.onGitSpawn ? { onSpawn: options.onGitSpawn } : {},
  );
  const fetchClock: FetchClock = { lastMs: 0 };
  const source: SourceProvider = {
    ...git,
    async fetch(repo) {
      const started = performance.now();
      try {
        return await git.fetch(repo);
      } finally {
        fetchClock.lastMs = performance.now() - started;
      }
    },
  };
  const engine = createEngine(
    {
      store,
      source,
      kinds: createKindRegistry(),
      drivers: driverNames(),
      createDriver: (target) => createTargetDriver(dataDir, target, silentLogger),
      log: silentLogger,
      controlRepo: { url: repoUrl, ref: 'main' },
    },
    { controlIntervalMs: 3_600_000, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
  );
  return {
    engine,
    store,
    source: git,
    fetchClock,
    /** Stops the engine and every workload it started. */
    async close() {
      await engine.stop();
      await git.close();
      await store.close();
      await teardownTargets(dataDir, silentLogger);
    },
  };
}
