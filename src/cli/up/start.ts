import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Engine, Logger, SourceProvider, Store } from '../../core/index.js';
import { createKindRegistry, driverNames } from '../../drivers/index.js';
import { createEngine, type EngineInternals } from '../../engine/index.js';
import { createGitSource } from '../../source/git/index.js';
import { openStore } from '../../store/index.js';
import { claimDataDir } from './data-dir.js';
import { ensureDemoRepo } from './demo.js';
import { createTargetDriver } from './targets.js';

export interface StartOptions {
  /** Control repo path or URL; default: the current directory when it has wheelhouse.yaml, else the demo. */
  repo?: string;
  ref: string;
  dataDir: string;
  /** `sqlite:<file>` (default, in the data dir) or `postgres://...`. */
  storeUrl?: string;
  cwd: string;
  log: Logger;
  /** Subscribe to the engine's events before it starts (so the first sync is seen too). */
  onEvents?: (events: Engine['events']) => void;
}

export interface Running {
  engine: Engine & EngineInternals;
  store: Store;
  source: SourceProvider;
  controlRepo: string;
  demo: { created: boolean } | undefined;
  stop(): Promise<void>;
}

/** Everything `wheelhouse up` runs, in one process, with embedded defaults. */
export async function startWheelhouse(options: StartOptions): Promise<Running> {
  const release = await claimDataDir(options.dataDir);
  const { repo, demo } = await controlRepoFor(options);
  const store = await openStore(options.storeUrl ?? `sqlite:${join(options.dataDir, 'wheelhouse.db')}`, {
    log: options.log,
  });
  const source = createGitSource({ dataDir: options.dataDir, log: options.log.child({ layer: 'git' }) });
  const engine = createEngine({
    store,
    source,
    kinds: createKindRegistry(),
    drivers: driverNames(),
    createDriver: (target) => createTargetDriver(options.dataDir, target, options.log),
    log: options.log.child({ layer: 'engine' }),
    controlRepo: { url: repo, ref: options.ref },
  });
  options.onEvents?.(engine.events);
  await engine.start();
  return {
    engine,
    store,
    source,
    controlRepo: repo,
    demo,
    async stop() {
      await engine.stop();
      await source.close();
      await store.close();
      await release();
    },
  };
}

async function controlRepoFor(
  options: StartOptions,
): Promise<{ repo: string; demo: { created: boolean } | undefined }> {
  if (options.repo) {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.repo) || /^[^/]+@[^/]+:/.test(options.repo);
    return { repo: isUrl ? options.repo : resolve(options.cwd, options.repo), demo: undefined };
  }
  try {
    await access(join(options.cwd, 'wheelhouse.yaml'));
    return { repo: options.cwd, demo: undefined };
  } catch {
    const demo = await ensureDemoRepo(options.dataDir);
    return { repo: demo.path, demo: { created: demo.created } };
  }
}
