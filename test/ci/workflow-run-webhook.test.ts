import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { tempDirs } from '../support/tmp.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as {
  name: string;
  examples: Record<string, unknown>[];
}[];
/** GitHub's published `workflow_run` completed example (octo-org/octo-repo, test.yml, success). */
const completed = examples
  .find((d) => d.name === 'workflow_run')
  ?.examples.find(
    (e) => e.action === 'completed' && (e.workflow_run as { path?: string } | undefined)?.path !== undefined,
  );

const CONFIG = `apps:
  - { name: web, path: apps/web, environment: staging }
ci:
  gha: { type: github-actions, repo: octo-org/octo-repo, tokenEnv: WH_TEST_UNUSED_TOKEN, apps: [web] }
webhooks:
  github: { secretEnv: WH_TEST_GH_HOOK_SECRET }
notifications:
  routes:
    - { platform: web, channel: ci, events: [ci.finished] }
`;

describe('inbound CI completion: GitHub workflow_run webhooks posted to the app routes', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  const secret = 'workflow-run-hook-secret';

  beforeAll(async () => {
    process.env.WH_TEST_GH_HOOK_SECRET = secret;
    stack = await startChatOpsStack(tmp, { 'wheelhouse.yaml': CONFIG, 'apps/web/.keep': '' }, { http: true });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    delete process.env.WH_TEST_GH_HOOK_SECRET;
  });

  const deliver = (body: string, signature: string, delivery: string) =>
    fetch(`${stack.url}/hooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'workflow_run',
        'x-github-delivery': delivery,
        'x-hub-signature-256': `sha256=${signature}`,
      },
      body,
    });

  it('verifies the delivery and posts the run result to the routes of the apps tied to the server', async () => {
    expect(completed).toBeDefined();
    const body = JSON.stringify(completed);
    const response = await deliver(body, createHmac('sha256', secret).update(body).digest('hex'), 'wr-1');
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'accepted', event: 'workflow_run', apps: ['web'] });
    await stack.settle();
    const posted = await stack.store.listChatMessages('ci', { limit: 10 });
    expect(posted.map((m) => m.text)).toEqual([
      expect.stringContaining('gha/test.yml#289782451 ✅ succeeded (web, staging)'),
    ]);
  });

  it('refuses a delivery whose signature does not match, and posts nothing', async () => {
    const body = JSON.stringify({
      ...completed,
      workflow_run: { ...(completed?.workflow_run as object), id: 1 },
    });
    const response = await deliver(body, createHmac('sha256', 'wrong').update(body).digest('hex'), 'wr-2');
    expect(response.status).toBe(401);
    await stack.settle();
    expect((await stack.store.listChatMessages('ci', { limit: 10 })).length).toBe(1);
  });
});
