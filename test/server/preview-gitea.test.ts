import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServers } from '../support/api-server.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { createRepo, git, writeTree } from '../support/git.js';
import { type Gitea, giteaMissing, startGitea } from '../support/gitea.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 20 against a real Gitea built from its Go module (test/support/kube/build.mjs gitea): the
 * pull request, its webhook (signed by Gitea, sent to loopback), the head ref Gitea keeps, the
 * comment Wheelhouse posts and edits and the commit status are all Gitea's own, read back through
 * its REST API. Nothing here is emulated.
 */
const missing = giteaMissing();

const tmp = tempDirs();
const start = apiServers();
const HOOK_SECRET = `gitea-hook-${Date.now().toString(36)}`;
const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec:\n  content: ${content}\n`;

interface Comment {
  id: number;
  body: string;
}
/** Gitea answers a commit status with `status` (what it is posted with as `state`). */
interface Status {
  status: string;
  context: string;
  description: string;
  target_url: string;
}

describe.skipIf(missing !== undefined)('previews on a real Gitea', () => {
  let gitea: Gitea;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    gitea = await startGitea(await tmp('gitea'));
    closers.push(() => gitea.stop());
  }, 120_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('comments once per pull request, edits it on a push, and fails the status of a head that does not render', async () => {
    await gitea.api('POST', '/user/repos', { name: 'deploy', private: false, default_branch: 'main' });
    const clone = await tmp('clone');
    await createRepo(clone, {
      'apps/api/m.yaml': file('api', 'one'),
      'apps/web/m.yaml': file('web', 'one'),
      'apps/worker/m.yaml': file('worker', 'one'),
    });
    await git(clone, 'remote', 'add', 'origin', gitea.pushUrl('deploy'));
    await git(clone, 'push', '--quiet', 'origin', 'main');

    const url = gitea.cloneUrl('deploy');
    const source = (app: string) =>
      `  - { name: ${app}, path: apps/${app}, source: { repo: "${url}", ref: main } }`;
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': `webhooks: { gitea: { secretEnv: PREVIEW_HOOK_SECRET } }
previews:
  dashboardUrl: https://wheelhouse.example.com
  gitea: { tokenEnv: PREVIEW_FORGE_TOKEN, apiUrl: "${gitea.apiUrl}" }
apps:
${['api', 'web', 'worker'].map(source).join('\n')}
`,
      },
      driver: new FakeDriver('process'),
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const server = await start({
      engine: h.engine,
      store: h.store,
      env: { PREVIEW_HOOK_SECRET: HOOK_SECRET, PREVIEW_FORGE_TOKEN: gitea.token },
    });
    await gitea.api('POST', `/repos/${gitea.user}/deploy/hooks`, {
      type: 'gitea',
      active: true,
      events: ['pull_request'],
      config: { url: `${server.url}/hooks/gitea`, content_type: 'json', secret: HOOK_SECRET },
    });

    const push = async (files: Record<string, string>, message: string) => {
      await writeTree(clone, files);
      await git(clone, 'add', '-A');
      await git(clone, 'commit', '--quiet', '-m', message);
      await git(clone, 'push', '--quiet', 'origin', 'HEAD:change-web');
      return git(clone, 'rev-parse', 'HEAD');
    };
    const statusOf = (sha: string) =>
      waitFor(
        `Gitea's commit status of ${sha.slice(0, 7)}`,
        async () => {
          const statuses = await gitea.api<Status[]>('GET', `/repos/${gitea.user}/deploy/statuses/${sha}`);
          return statuses.find((s) => s.context === 'wheelhouse/preview');
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    const comments = () => gitea.api<Comment[]>('GET', `/repos/${gitea.user}/deploy/issues/1/comments`);

    // A pull request changing one app of three: only that app in the comment, a passing status.
    await git(clone, 'checkout', '--quiet', '-b', 'change-web');
    const first = await push({ 'apps/web/m.yaml': file('web', 'two') }, 'web: two');
    // Gitea records a pushed branch from a queue, after the push returns.
    await waitFor(
      'Gitea to know the pushed branch',
      () =>
        gitea.api('GET', `/repos/${gitea.user}/deploy/branches/change-web`).then(
          () => true,
          () => false,
        ),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await gitea.api('POST', `/repos/${gitea.user}/deploy/pulls`, {
      head: 'change-web',
      base: 'main',
      title: 'Change web',
    });
    const passed = await statusOf(first);
    expect(passed.status).toBe('success');
    expect(passed.target_url).toBe(
      `https://wheelhouse.example.com/previews/${encodeURIComponent(`gitea:${gitea.user}/deploy#1`)}`,
    );
    const [comment, ...more] = await comments();
    expect(more).toEqual([]);
    expect(comment?.body).toMatch(new RegExp(`^<!-- wheelhouse-preview gitea:${gitea.user}/deploy#1 -->`));
    expect(comment?.body).toContain('<details><summary><b>web</b>: 1 configured</summary>');
    expect(comment?.body).not.toMatch(/<b>(api|worker)<\/b>/);
    expect(comment?.body).not.toContain(gitea.token);

    // A second push: the same comment, edited; broken YAML fails the status naming file and line.
    const second = await push(
      { 'apps/api/m.yaml': 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: api\nspec: [\n' },
      'api: broken',
    );
    const failed = await statusOf(second);
    expect(failed.status).toBe('failure');
    expect(failed.description).toMatch(/^api does not render: apps\/api\/m\.yaml:\d+ /);
    const after = await comments();
    expect(after.map((c) => c.id)).toEqual([comment?.id]);
    expect(after[0]?.body).toContain(second.slice(0, 7));
    expect(after[0]?.body).toContain('<b>api</b>: **does not render**');
    expect(after[0]?.body).toContain('<b>web</b>');
  }, 180_000);
});
