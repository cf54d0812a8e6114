import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 20, previews: the engine fetches a pull request head (refs/pull/N/head) into its mirror,
 * renders only the apps whose trees the head changes, and diffs them against what runs, with
 * render problems at file:line and secret values masked. Nothing it runs changes.
 */
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const CONFIG = `secretPatterns: ["hunter[0-9]+"]
apps:
  - { name: api, path: apps/api }
  - { name: web, path: apps/web }
  - { name: worker, path: apps/worker }
`;
const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec:\n  content: ${content}\n`;

/** Commits `files` on a side branch and publishes it as the pull request's head ref, as forges do. */
async function openPullRequest(
  h: { repoDir: string; commit: (files: Record<string, string | null>, m: string) => Promise<string> },
  number: number,
  files: Record<string, string | null>,
): Promise<string> {
  await git(h.repoDir, 'checkout', '--quiet', '-B', `pr-${number}`, 'main');
  const sha = await h.commit(files, `pull request ${number}`);
  await git(h.repoDir, 'update-ref', `refs/pull/${number}/head`, sha);
  await git(h.repoDir, 'checkout', '--quiet', 'main');
  return sha;
}

describe('pull request previews in the engine', () => {
  it('show only the app the head changes, with its field diff, and leave what runs alone', async () => {
    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/api/m.yaml': file('api', 'one'),
        'apps/web/m.yaml': file('web', 'one'),
        'apps/worker/m.yaml': file('worker', 'one'),
      },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const head = await openPullRequest(h, 7, {
      'apps/web/m.yaml': file('web', 'two'),
      'apps/web/extra.yaml': file('web-extra', 'new'),
    });

    const report = await h.engine.preview?.({ repo: h.repoDir, ref: 'refs/pull/7/head' });
    expect(report?.revision).toBe(head);
    expect(report?.failed).toBe(false);
    expect(report?.apps.map((a) => a.app)).toEqual(['web']);
    const web = report?.apps[0];
    expect(web?.outcome).toBe('changed');
    expect(web?.base).toBe(h.head);
    expect(web?.changes.map((c) => [c.name, c.action])).toEqual([
      ['web', 'configured'],
      ['web-extra', 'created'],
    ]);
    expect(web?.text).toContain('two');
    // Nothing ran: the app still runs main's content.
    expect(driver.liveSpec('web', 'local/File/web/web')?.content).toBe('one');
    expect(h.engine.status('web').revision).toBe(h.head);

    // A second push to the same pull request: the new head is what gets previewed.
    await git(h.repoDir, 'checkout', '--quiet', 'pr-7');
    const second = await h.commit({ 'apps/web/extra.yaml': null }, 'drop the extra file');
    await git(h.repoDir, 'update-ref', 'refs/pull/7/head', second);
    await git(h.repoDir, 'checkout', '--quiet', 'main');
    const again = await h.engine.preview?.({ repo: h.repoDir, ref: 'refs/pull/7/head', revision: second });
    expect(again?.revision).toBe(second);
    expect(again?.apps[0]?.changes.map((c) => c.name)).toEqual(['web']);
  });

  it('name the file and line of broken YAML, and mask secret values of the head', async () => {
    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/api/m.yaml': file('api', 'one'),
        'apps/web/m.yaml': file('web', 'one'),
        'apps/worker/m.yaml': file('worker', 'one'),
      },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    await openPullRequest(h, 8, {
      'apps/api/m.yaml': 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: api\nspec: [\n',
      'apps/worker/m.yaml': file('worker', 'hunter42'),
    });
    const report = await h.engine.preview?.({ repo: h.repoDir, ref: 'refs/pull/8/head' });
    expect(report?.failed).toBe(true);
    const api = report?.apps.find((a) => a.app === 'api');
    expect(api?.outcome).toBe('failed');
    expect(api?.issues[0]?.file).toBe('apps/api/m.yaml');
    expect(api?.issues[0]?.line).toBeGreaterThan(0);
    const worker = report?.apps.find((a) => a.app === 'worker');
    expect(worker?.outcome).toBe('changed');
    expect(JSON.stringify(report)).not.toContain('hunter42');
    expect(h.engine.status('api').renderError).toBeUndefined();

    for (const ref of ['refs/tags/v1', 'refs/heads/../x', 'refs/heads/-x', 'HEAD']) {
      await expect(h.engine.preview?.({ repo: h.repoDir, ref })).rejects.toThrow(
        /only pull\/merge request heads .* and branches/,
      );
    }
    await expect(h.engine.preview?.({ repo: '/nowhere/repo', ref: 'refs/pull/8/head' })).rejects.toThrow(
      /no app follows \/nowhere\/repo/,
    );
  });
});
