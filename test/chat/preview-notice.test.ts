import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { commitFiles, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 20: notification routes may include previews. A route naming `preview.ready` gets one
 * notice per app the pull request touches (its app filter applies); routes that do not name it
 * get nothing (it is not among the defaults).
 */
const file = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec: { path: out/${name}.txt, content: "${content}" }\n`;
const CONFIG = `apps:
  - { name: api, path: apps/api, environment: prod }
  - { name: web, path: apps/web, environment: staging }
webhooks:
  github: { secretEnv: WH_TEST_PREVIEW_HOOK_SECRET }
previews:
  dashboardUrl: https://wheelhouse.example.com
notifications:
  routes:
    - { platform: web, channel: previews, events: [preview.ready] }
    - { platform: web, channel: api-previews, apps: [api], events: [preview.ready] }
    - { platform: web, channel: defaults }
`;

describe('preview.ready notifications', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  const secret = 'preview-notice-hook-secret';

  beforeAll(async () => {
    process.env.WH_TEST_PREVIEW_HOOK_SECRET = secret;
    stack = await startChatOpsStack(
      tmp,
      {
        'wheelhouse.yaml': CONFIG,
        'apps/api/m.yaml': file('api', 'one'),
        'apps/web/m.yaml': file('web', 'one'),
      },
      { http: true },
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    delete process.env.WH_TEST_PREVIEW_HOOK_SECRET;
  });

  it('posts each touched app to the routes that name the event, with the preview page', async () => {
    const work = await tmp('pr');
    await git(work, 'clone', '--quiet', stack.control, '.');
    await git(work, 'config', 'user.name', 'Contributor');
    await git(work, 'config', 'user.email', 'contributor@example.test');
    const sha = await commitFiles(
      work,
      { 'apps/web/m.yaml': file('web', 'two'), 'apps/api/m.yaml': 'kind: [\n' },
      'bump web, break api',
    );
    await git(work, 'push', '--quiet', 'origin', 'HEAD:refs/pull/3/head');
    const body = JSON.stringify({
      action: 'opened',
      number: 3,
      repository: { full_name: 'acme/deploy', clone_url: stack.control },
      pull_request: { html_url: 'https://github.test/acme/deploy/pull/3', title: 'Bump web', head: { sha } },
    });
    const response = await fetch(`${stack.url}/hooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(202);
    const posted = await waitFor('both notices', async () => {
      await stack.settle();
      const all = await stack.store.listChatMessages('previews', { limit: 10 });
      return all.length >= 2 ? all : undefined;
    });
    const texts = posted.map((m) => m.text).join('\n');
    expect(texts).toContain(
      `pull request github:acme/deploy#3 “Bump web” at ${sha.slice(0, 7)}: web (staging) 1 configured`,
    );
    expect(texts).toMatch(/api \(prod\) does not render: apps\/api\/m\.yaml:\d+ /);
    expect(texts).toContain('https://wheelhouse.example.com/previews/github%3Aacme%2Fdeploy%233');
    const apiOnly = await stack.store.listChatMessages('api-previews', { limit: 10 });
    expect(apiOnly.map((m) => m.text).join('\n')).not.toContain('web (staging)');
    expect(apiOnly).toHaveLength(1);
    const defaults = await stack.store.listChatMessages('defaults', { limit: 50 });
    expect(defaults.map((m) => m.text).join('\n')).not.toContain('pull request');
  });
});
