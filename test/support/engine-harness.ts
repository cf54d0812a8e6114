import { join } from 'node:path';
import type {
  CiJobRunner,
  ControlConfig,
  Driver,
  KindDefinition,
  SourceProvider,
  VerifySpec,
} from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createKindRegistry } from '../../src/drivers/registry.js';
import { createEngine, type EngineOptions } from '../../src/engine/index.js';
import { createGitSource } from '../../src/source/git/index.js';
import { openStore } from '../../src/store/index.js';

const testLogger = {
  debug: (...a: unknown[]) => console.error('debug', ...a),
  info: (...a: unknown[]) => console.error('info', ...a),
  warn: (...a: unknown[]) => console.error('warn', ...a),
  error: (...a: unknown[]) => console.error('error', ...a),
  child: () => testLogger,
};

import { commitFiles, createRepo, type FileTree } from './git.js';

export interface HarnessOptions {
  /** Files of the control repo's first commit (must include wheelhouse.yaml). */
  files: FileTree;
  /** The driver every target gets, and the kinds it serves (as driver `driverName`). */
  driver: Driver;
  kinds: readonly KindDefinition[];
  /** The driver name targets in wheelhouse.yaml use; default `process`. */
  driverName?: string;
  engine?: EngineOptions;
  /** Reuse a data dir (to restart an engine on the same state). */
  dataDir?: string;
  /** Verify the control repo's commits with these keys (`wheelhouse up --control-gpg-keys` …). */
  controlVerify?: VerifySpec;
  /** Runs `CIJob` hooks, given the configuration in force (its `ci:` servers). */
  ciJobs?: (config: () => ControlConfig) => CiJobRunner;
  /** What the engine reads Git through, made from the real git source (to watch its calls). */
  wrapSource?: (source: SourceProvider) => SourceProvider;
}

/**
 * An engine on a real control repo (git), a real SQLite store and a given driver, in temp dirs.
 * Polling is slow by default so tests drive it with `refresh()`; `close()` stops everything.
 */
export async function startHarness(tmp: (label: string) => Promise<string>, options: HarnessOptions) {
  const repoDir = await tmp('control');
  const dataDir = options.dataDir ?? (await tmp('data'));
  const head = await createRepo(repoDir, options.files);
  const harness = await engineOn(repoDir, dataDir, options);
  return {
    ...harness,
    repoDir,
    dataDir,
    head,
    commit: (files: FileTree, message: string) => commitFiles(repoDir, files, message),
  };
}

/** An engine following an existing repo, with a data dir of its own (see `startHarness`). */
export async function engineOn(
  repoDir: string,
  dataDir: string,
  options: Omit<HarnessOptions, 'files' | 'dataDir'>,
) {
  const store = await openStore(`sqlite:${join(dataDir, 'wheelhouse.db')}`);
  const source = createGitSource({ dataDir, log: silentLogger });
  const engine = createEngine(
    {
      store,
      source: options.wrapSource?.(source) ?? source,
      kinds: createKindRegistry({ [options.driverName ?? 'process']: options.kinds }),
      drivers: [options.driverName ?? 'process'],
      createDriver: () => options.driver,
      ...(options.ciJobs ? { ciJobs: options.ciJobs(() => engine.config()) } : {}),
      log: process.env.WH_TEST_LOG ? testLogger : silentLogger,
      controlRepo: {
        url: repoDir,
        ref: 'main',
        ...(options.controlVerify ? { verify: options.controlVerify } : {}),
      },
    },
    { controlIntervalMs: 3_600_000, retryBaseMs: 0, ...options.engine },
  );
  await engine.start();
  await engine.settled();
  return {
    engine,
    store,
    source,
    /** Fetch, re-check every app, and wait until the operations that started have finished. */
    async refresh(app = 'web') {
      await engine.refresh(app);
      await engine.settled();
    },
    async close() {
      await engine.stop();
      await source.close();
      await store.close();
    },
  };
}
