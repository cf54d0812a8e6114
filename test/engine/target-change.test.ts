import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type TargetSpec } from '../../src/core/index.js';
import { createKindRegistry } from '../../src/drivers/registry.js';
import { createEngine } from '../../src/engine/index.js';
import { createGitSource } from '../../src/source/git/index.js';
import { openStore } from '../../src/store/index.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { commitFiles, createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

/*
 * A target's driver is built from its options in wheelhouse.yaml. When a commit changes them, the
 * old driver is stopped and the target's apps get one built from the new options (it used to be
 * kept until Wheelhouse restarted); a target whose options did not change keeps its driver.
 */
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const manifest = (name: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec: { content: x }\n`;
const config = (boxOption: string) => `targets:
  box: { driver: process, root: ${boxOption} }
  other: { driver: process, root: /srv/other }
apps:
  - { name: web, path: apps/web, target: box }
  - { name: api, path: apps/api, target: other }
`;

describe('a target whose options change in Git', () => {
  it('gets its driver rebuilt from the new options; the other target keeps its own', async () => {
    const repo = await tmp('control');
    const data = await tmp('data');
    await createRepo(repo, {
      'wheelhouse.yaml': config('/srv/one'),
      'apps/web/m.yaml': manifest('web'),
      'apps/api/m.yaml': manifest('api'),
    });
    const built: { target: TargetSpec; driver: FakeDriver }[] = [];
    const store = await openStore(`sqlite:${join(data, 'wheelhouse.db')}`);
    const source = createGitSource({ dataDir: data, log: silentLogger });
    const engine = createEngine(
      {
        store,
        source,
        kinds: createKindRegistry({ process: FAKE_KINDS }),
        drivers: ['process'],
        createDriver: (target) => {
          const driver = new FakeDriver('process');
          built.push({ target, driver });
          return driver;
        },
        log: silentLogger,
        controlRepo: { url: repo, ref: 'main' },
      },
      { controlIntervalMs: 3_600_000, retryBaseMs: 0 },
    );
    closers.push(async () => {
      await engine.stop();
      await source.close();
      await store.close();
    });
    await engine.start();
    await engine.settled();
    const of = (name: string) => built.filter((b) => b.target.name === name);
    expect(of('box').map((b) => b.target.options)).toEqual([{ root: '/srv/one' }]);
    expect(of('other')).toHaveLength(1);

    await commitFiles(repo, { 'wheelhouse.yaml': config('/srv/two') }, 'box: new root');
    await engine.refresh('web');
    await engine.settled();
    expect(of('box').map((b) => b.target.options)).toEqual([{ root: '/srv/one' }, { root: '/srv/two' }]);
    const [first, second] = of('box');
    expect(first?.driver.started).toBe(false);
    expect(second?.driver.started).toBe(true);
    expect(of('other')).toHaveLength(1);
    // The app on the changed target is checked through the new driver (which has nothing yet, so
    // auto-sync applies it there); the app on the other target was not touched again.
    expect(second?.driver.keysOf('apply').some((key) => key.includes('web'))).toBe(true);
    expect(first?.driver.keysOf('apply').filter((key) => key.includes('web'))).toHaveLength(1);
  });
});
