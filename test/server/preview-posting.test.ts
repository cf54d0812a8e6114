import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiServers } from '../support/api-server.js';
import {
  type EmulatedForge,
  type ForgeEmulator,
  startForgeEmulator,
} from '../support/emulators/forge-pulls.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { createRepo, git, writeTree } from '../support/git.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 20, previews posted on the forge: a signed pull/merge request webhook through the real
 * endpoint, apps following a repo served by a real git HTTP server, and the forge's comment and
 * status API emulated to its published docs. One comment per pull request, edited on each push;
 * a status that fails naming file:line when the head does not render; nothing secret in it.
 */
const tmp = tempDirs();
const start = apiServers();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const HOOK_SECRET = 'hook-secret-value-7f3a';
const DASHBOARD = 'https://wheelhouse.example.com';
const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec:\n  content: ${content}\n`;
const APPS = {
  'apps/api/m.yaml': file('api', 'one'),
  'apps/web/m.yaml': file('web', 'one'),
  'apps/worker/m.yaml': file('worker', 'one'),
};

let gitServer: GitHttpServer;
let root = '';
let served = 0;
beforeAll(async () => {
  root = await tmp('git-root');
  gitServer = await startGitHttpServer({ root });
});
afterAll(async () => {
  await gitServer?.close();
});

/** A repo of three apps served over smart HTTP, an engine following it, the server, a forge. */
async function setup(forge: EmulatedForge) {
  const name = `acme/deploy${++served}.git`;
  const seed = await tmp('seed');
  await createRepo(seed, APPS);
  await git(seed, 'clone', '--quiet', '--bare', seed, join(root, name));
  await git(join(root, name), 'config', 'http.receivepack', 'true');
  const url = gitServer.repoUrl(name);
  const emulator = await startForgeEmulator(forge, 'acme/deploy');
  closers.push(emulator.close);
  const source = (app: string) =>
    `  - { name: ${app}, path: apps/${app}, source: { repo: "${url}", ref: main } }`;
  const h = await startHarness(tmp, {
    files: {
      'wheelhouse.yaml': `secretPatterns: ["hunter[0-9]+"]
webhooks: { ${forge}: { secretEnv: PREVIEW_HOOK_SECRET } }
previews:
  dashboardUrl: ${DASHBOARD}
  ${forge}: { tokenEnv: PREVIEW_FORGE_TOKEN, apiUrl: "${emulator.apiUrl}" }
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
    env: { PREVIEW_HOOK_SECRET: HOOK_SECRET, PREVIEW_FORGE_TOKEN: emulator.token },
  });
  const clone = await tmp('clone');
  await git(clone, 'clone', '--quiet', url, '.');
  await git(clone, 'config', 'user.name', 'Contributor');
  await git(clone, 'config', 'user.email', 'contributor@example.test');
  return { emulator, server, url, clone };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Commits `files` on the pull request's branch and publishes it where the forge keeps PR heads. */
async function pushHead(s: Setup, number: number, files: Record<string, string>, first: boolean) {
  await git(
    s.clone,
    'checkout',
    '--quiet',
    ...(first ? ['-B', `pr-${number}`, 'origin/main'] : [`pr-${number}`]),
  );
  await writeTree(s.clone, files);
  await git(s.clone, 'add', '-A');
  await git(s.clone, 'commit', '--quiet', '-m', `pull request ${number}`);
  const sha = await git(s.clone, 'rev-parse', 'HEAD');
  const ref = {
    gitlab: `refs/merge-requests/${number}/head`,
    bitbucket: `refs/heads/pr-${number}`, // Bitbucket Cloud keeps no pull request ref
    github: `refs/pull/${number}/head`,
    gitea: `refs/pull/${number}/head`,
  }[s.emulator.forge];
  await git(s.clone, 'push', '--quiet', '--force', 'origin', `HEAD:${ref}`);
  return sha;
}

/** The forge's pull/merge request webhook, signed the forge's way, to the real endpoint. */
async function deliver(s: Setup, number: number, sha: string, first: boolean, headRepo = s.url) {
  const forge = s.emulator.forge;
  const payload =
    forge === 'bitbucket' ? bitbucketPayload(s, number, sha) : otherPayload(s, number, sha, first, headRepo);
  const body = JSON.stringify(payload);
  const hmac = createHmac('sha256', HOOK_SECRET).update(body).digest('hex');
  const headers: Record<string, string> =
    forge === 'bitbucket'
      ? {
          'x-event-key': first ? 'pullrequest:created' : 'pullrequest:updated',
          'x-request-uuid': randomUUID(),
          'x-hub-signature': `sha256=${hmac}`,
        }
      : forge === 'github'
        ? {
            'x-github-event': 'pull_request',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${hmac}`,
          }
        : forge === 'gitea'
          ? { 'x-gitea-event': 'pull_request', 'x-gitea-delivery': randomUUID(), 'x-gitea-signature': hmac }
          : {
              'x-gitlab-event': 'Merge Request Hook',
              'x-gitlab-event-uuid': randomUUID(),
              'x-gitlab-token': HOOK_SECRET,
            };
  const response = await fetch(`${s.server.url}/hooks/${forge}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  expect(`${response.status} ${await response.text()}`).toMatch(/^202 /);
}

/** Bitbucket Cloud's `pullrequest:*` payload (a 12-character commit hash, as it sends). */
function bitbucketPayload(s: Setup, number: number, sha: string) {
  return {
    repository: { full_name: 'acme/deploy', links: { html: { href: s.url } } },
    pullrequest: {
      id: number,
      title: 'Change things',
      links: { html: { href: `https://bitbucket.test/acme/deploy/pull-requests/${number}` } },
      source: {
        branch: { name: `pr-${number}` },
        commit: { hash: sha.slice(0, 12) },
        repository: { full_name: 'acme/deploy' },
      },
      destination: { branch: { name: 'main' }, repository: { full_name: 'acme/deploy' } },
    },
  };
}

function otherPayload(s: Setup, number: number, sha: string, first: boolean, headRepo: string) {
  const forge = s.emulator.forge;
  return forge === 'gitlab'
    ? {
        object_kind: 'merge_request',
        project: { path_with_namespace: 'acme/deploy', git_http_url: s.url },
        object_attributes: {
          iid: number,
          action: first ? 'open' : 'update',
          url: `https://gitlab.test/acme/deploy/-/merge_requests/${number}`,
          title: 'Change things',
          last_commit: { id: sha },
        },
      }
    : {
        action: first ? 'opened' : forge === 'github' ? 'synchronize' : 'synchronized',
        number,
        repository: { full_name: 'acme/deploy', clone_url: s.url },
        pull_request: {
          html_url: `https://forge.test/acme/deploy/pull/${number}`,
          title: 'Change things',
          head: { sha, repo: { clone_url: headRepo } },
        },
      };
}

const statusFor = (e: ForgeEmulator, sha: string) =>
  waitFor(`the commit status of ${sha}`, () => e.statuses.find((st) => st.sha === sha));

/** Opens pull request `number` with `files`, delivers its webhook, waits for its head's status. */
async function openPull(s: Setup, number: number, files: Record<string, string>) {
  s.emulator.openPull(number);
  const sha = await pushHead(s, number, files, true);
  await deliver(s, number, sha, true);
  return { sha, status: await statusFor(s.emulator, sha) };
}

describe('previews posted on the pull request', () => {
  it('GitHub: only the app the PR changes, one comment edited by the second push, a passing status', async () => {
    const s = await setup('github');
    const { status } = await openPull(s, 5, { 'apps/web/m.yaml': file('web', 'two') });
    expect(status).toMatchObject({ state: 'success', context: 'wheelhouse/preview' });
    expect(status.targetUrl).toBe(`${DASHBOARD}/previews/${encodeURIComponent('github:acme/deploy#5')}`);
    expect(s.emulator.comments).toHaveLength(1);
    const comment = s.emulator.comments[0];
    expect(comment?.body).toMatch(/^<!-- wheelhouse-preview github:acme\/deploy#5 -->/);
    expect(comment?.body).toContain('<details><summary><b>web</b>: 1 configured</summary>');
    expect(comment?.body).toContain('- configured: `File/web`');
    expect(comment?.body).toMatch(/```diff\n[\s\S]*two[\s\S]*```/);
    expect(comment?.body).not.toMatch(/<b>(api|worker)<\/b>/);

    const second = await pushHead(s, 5, { 'apps/api/m.yaml': file('api', 'two') }, false);
    await deliver(s, 5, second, false);
    await statusFor(s.emulator, second);
    expect(s.emulator.comments).toHaveLength(1);
    expect(s.emulator.comments[0]?.edits).toBe(1);
    expect(s.emulator.comments[0]?.body).toContain(second.slice(0, 7));
    expect(s.emulator.comments[0]?.body).toContain('<b>api</b>');
    expect(s.emulator.comments[0]?.body).toContain('<b>web</b>');
  });

  it('GitLab: broken YAML -> a failed status and a comment naming the file and line', async () => {
    const s = await setup('gitlab');
    const { status } = await openPull(s, 9, {
      'apps/api/m.yaml': 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: api\nspec: [\n',
    });
    expect(status.state).toBe('failed');
    expect(status.description).toMatch(/^api does not render: apps\/api\/m\.yaml:\d+ /);
    const body = s.emulator.comments[0]?.body ?? '';
    expect(body).toContain('<b>api</b>: **does not render**');
    expect(body).toMatch(/`apps\/api\/m\.yaml:\d+:\d+ /);
    expect(body).not.toContain('<b>web</b>');
  });

  it('Gitea: a pull request from a fork is fetched from the base repo and posts no secret value', async () => {
    const s = await setup('gitea');
    s.emulator.openPull(4);
    const fork = `${gitServer.url}/mallory/deploy.git`;
    const sha = await pushHead(
      s,
      4,
      {
        'apps/worker/m.yaml': file('worker', `"hunter42 ${HOOK_SECRET} ${s.emulator.token}"`),
      },
      true,
    );
    await deliver(s, 4, sha, true, fork);
    const status = await statusFor(s.emulator, sha);
    expect(status.state).toBe('success');
    const body = s.emulator.comments[0]?.body ?? '';
    expect(body).toContain('<b>worker</b>');
    expect(body).not.toContain('hunter42');
    expect(body).not.toContain(HOOK_SECRET);
    expect(body).not.toContain(s.emulator.token);
    expect(gitServer.requests.some((r) => r.url.includes('mallory'))).toBe(false);
  });

  it('Bitbucket Cloud: a same-repo branch is previewed, its one comment edited, a build status set', async () => {
    const s = await setup('bitbucket');
    const { status } = await openPull(s, 2, { 'apps/api/m.yaml': file('api', 'two') });
    expect(status).toMatchObject({ state: 'SUCCESSFUL', context: 'wheelhouse/preview' });
    expect(status.targetUrl).toBe(`${DASHBOARD}/previews/${encodeURIComponent('bitbucket:acme/deploy#2')}`);
    const second = await pushHead(s, 2, { 'apps/api/m.yaml': 'kind: [\n' }, false);
    await deliver(s, 2, second, false);
    expect((await statusFor(s.emulator, second)).state).toBe('FAILED');
    expect(s.emulator.comments).toHaveLength(1);
    expect(s.emulator.comments[0]?.edits).toBe(1);
    expect(s.emulator.comments[0]?.body).toMatch(/^<!-- wheelhouse-preview bitbucket:acme\/deploy#2 -->/);
    expect(s.emulator.comments[0]?.body).toContain('<b>api</b>: **does not render**');
  });
});
