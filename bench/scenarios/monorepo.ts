import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../../src/core/index.js';
import { createProcessDriver } from '../../src/drivers/process/index.js';
import { runGit } from '../../src/source/git/index.js';
import { benchEngine } from '../lib/engine.js';
import { importHistory } from '../lib/fast-import.js';
import type { Scenario } from '../lib/scenario.js';
import { round, trackPeakRss } from '../lib/stats.js';

const APPS = 1_000;
const FILES = 10;
const name = (i: number) => `app-${String(i).padStart(4, '0')}`;

const manifests = (app: number, version: number) =>
  Array.from(
    { length: FILES },
    (_, f) =>
      `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f${f} }\nspec: { path: ${name(app)}/f${f}.txt, content: "${name(app)} file ${f} v${version}" }\n`,
  ).join('---\n');

/**
 * (b) a monorepo of 1,000 apps x 10 File resources: cold converge and peak RSS, a no-op pass over
 * every app, and one commit touching one app (time to applied, apps re-rendered).
 */
export const monorepo: Scenario = {
  name: 'monorepo',
  description: `${APPS} apps x ${FILES} File resources in one repo`,
  async run(context) {
    const base = await context.tmp('mono');
    const bare = join(base, 'mono.git');
    const data = join(base, 'data');
    const config = `apps:\n${Array.from({ length: APPS }, (_, i) => `  - name: ${name(i)}\n    path: apps/${name(i)}\n`).join('')}`;
    await importHistory(bare, [
      {
        message: 'a thousand apps\n',
        files: {
          'wheelhouse.yaml': config,
          ...Object.fromEntries(
            Array.from({ length: APPS }, (_, i) => [`apps/${name(i)}/files.yaml`, manifests(i, 1)]),
          ),
        },
      },
    ]);
    const url = pathToFileURL(bare).href;
    global.gc?.();
    const stopRss = trackPeakRss();
    const bench = await benchEngine(url, data);
    try {
      let started = performance.now();
      await bench.engine.start();
      await bench.engine.settled();
      const coldMs = performance.now() - started;
      const peakRss = stopRss();
      const unhealthy = bench.engine
        .apps()
        .filter((a) => a.syncStatus !== 'Synced' || a.health.status !== 'Healthy');
      if (unhealthy.length > 0)
        throw new Error(`${unhealthy.length} apps did not converge, e.g. ${JSON.stringify(unhealthy[0])}`);

      started = performance.now();
      await bench.engine.refresh(name(0));
      await bench.engine.settled();
      const noopMs = performance.now() - started;

      // One more commit that touches only app 500, added to the bare repo as a normal push would.
      const work = join(base, 'work');
      await runGit(['clone', '--quiet', bare, work]);
      await writeFile(join(work, `apps/${name(500)}/files.yaml`), manifests(500, 2));
      const author = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test'];
      await runGit([...author, 'commit', '--quiet', '-am', 'touch one app'], { cwd: work });
      await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work });
      const rendersBefore = bench.engine.renderCount();
      started = performance.now();
      await bench.engine.refresh(name(0));
      await bench.engine.settled();
      const oneMs = performance.now() - started;
      const rerendered = bench.engine.renderCount() - rendersBefore;
      const touched = bench.engine.status(name(500));
      if (touched.lastSync?.result !== 'succeeded' || touched.revision !== touched.desiredRevision) {
        throw new Error(`app ${name(500)} was not applied: ${JSON.stringify(touched.lastSync)}`);
      }
      return [
        {
          metric: 'cold converge (1,000 apps, 10,000 files)',
          value: round(coldMs),
          unit: 'ms',
          target: '< 20000 ms',
        },
        { metric: 'peak RSS during cold converge', value: round(peakRss), unit: 'MiB', target: '< 300 MiB' },
        { metric: 'no-op pass over all apps', value: round(noopMs), unit: 'ms', target: '< 2000 ms' },
        { metric: 'one-app commit -> applied', value: round(oneMs), unit: 'ms', target: '< 2000 ms' },
        { metric: 'apps re-rendered by that commit', value: rerendered, unit: 'count', target: '1' },
      ];
    } finally {
      stopRss();
      await bench.close();
      const driver = createProcessDriver({
        target: 'local',
        options: {},
        stateDir: join(data, 'targets', 'local'),
        log: silentLogger,
        env: {},
      });
      await driver.start();
      await driver.teardown?.();
      await driver.stop();
    }
  },
};
