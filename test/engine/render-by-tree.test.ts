import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 18: an app's manifests are read by the tree id the engine already found for its path
 * (`treeIds`, batched over every app), not by resolving `revision:path` in git once more per app.
 */
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const manifest = (content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f }\nspec: { content: ${content} }\n`;

describe('reading an app to render it', () => {
  it('names the tree id of the app path at the revision it renders', async () => {
    const reads: { path: string; revision: string; tree: string | undefined }[] = [];
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': 'apps:\n  - { name: web, path: deploy/web }\n',
        'deploy/web/m.yaml': manifest('v1'),
      },
      driver: new FakeDriver('process'),
      kinds: FAKE_KINDS,
      wrapSource: (source) => ({
        ...source,
        readFiles: (repo, revision, path, tree) => {
          reads.push({ path, revision, tree });
          return source.readFiles(repo, revision, path, tree);
        },
      }),
    });
    closers.push(h.close);
    expect(h.engine.status('web').syncStatus).toBe('Synced');
    const first = await git(h.repoDir, 'rev-parse', 'HEAD:deploy/web');
    expect(reads.filter((r) => r.path === 'deploy/web')).toEqual([
      { path: 'deploy/web', revision: h.head, tree: first },
    ]);

    const second = await h.commit({ 'deploy/web/m.yaml': manifest('v2') }, 'v2');
    await h.refresh('web');
    expect(h.engine.status('web').revision).toBe(second);
    expect(reads.filter((r) => r.path === 'deploy/web').at(-1)).toEqual({
      path: 'deploy/web',
      revision: second,
      tree: await git(h.repoDir, 'rev-parse', 'HEAD:deploy/web'),
    });
  });
});
