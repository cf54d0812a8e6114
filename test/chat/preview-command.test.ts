import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { manifest } from '../support/delivery-history.js';
import { tempDirs } from '../support/tmp.js';

/** Bob may read web only; Alice is bound to everything. */
const CONFIG = `apps:
  - { name: web, path: apps/web, environment: dev }
  - { name: billing, path: apps/billing, environment: prod }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  roles: { reader: [read], nobody: [] }
  bindings:
    - { subjects: ["web:alice"], role: reader }
    - { subjects: ["web:bob"], role: reader, apps: [web] }
  defaultRole: nobody
`;

/** Issue 20: chat `preview <pr-url>` shows the newest stored preview of a pull request. */
describe('chat: preview <pr-url>', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': manifest('v1'),
      'apps/billing/web.yaml': manifest('b1'),
    });
    await stack.store.savePreview({
      id: 'github:acme/deploy#7',
      url: 'https://github.com/acme/deploy/pull/7',
      title: 'Raise web replicas',
      updatedAt: '2030-01-01T00:00:00.000Z',
      report: {
        repo: 'https://github.com/acme/deploy.git',
        ref: 'refs/pull/7/head',
        revision: 'c'.repeat(40),
        failed: true,
        apps: [
          {
            app: 'web',
            outcome: 'changed',
            changes: [
              {
                key: 'local/Process/web/web',
                kind: 'Process',
                name: 'web',
                action: 'configured',
                fields: [],
              },
              {
                key: 'local/Process/web/worker',
                kind: 'Process',
                name: 'worker',
                action: 'created',
                fields: [],
              },
            ],
            text: '',
            issues: [],
            refused: [{ key: 'local/Process/web/worker', message: 'denied by policy no-root' }],
          },
          {
            app: 'billing',
            outcome: 'failed',
            changes: [],
            text: '',
            issues: [
              {
                file: 'apps/billing/web.yaml',
                line: 4,
                column: 3,
                path: 'spec',
                message: 'spec.command: expected a list',
              },
            ],
          },
        ],
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('shows each app the pull request changes, or why it does not render, by address or id', async () => {
    for (const address of ['https://github.com/acme/deploy/pull/7/files', 'github:acme/deploy#7']) {
      const reply = await stack.say('alice', `preview ${address}`);
      expect(reply.text).toContain(
        'Preview of “Raise web replicas” at ccccccc: 1 app changed, 1 failing to render',
      );
      expect(reply.text).toContain('web: created worker; configured web');
      expect(reply.text).toContain(
        '  the target would refuse local/Process/web/worker: denied by policy no-root',
      );
      expect(reply.text).toContain('billing: does not render at this head');
      expect(reply.text).toContain('apps/billing/web.yaml:4: spec.command: expected a list');
      expect(reply.text).toContain('GET /api/v1/previews/github%3Aacme%2Fdeploy%237');
    }
  });

  it('leaves out the apps the person may not read, and says so', async () => {
    const reply = await stack.say('bob', 'preview https://github.com/acme/deploy/pull/7');
    expect(reply.text).toContain('1 app changed');
    expect(reply.text).not.toContain('billing');
    expect(reply.text).toContain('1 app you may not read left out');
  });

  it('says how previews come about when there is none', async () => {
    const reply = await stack.say('alice', 'preview https://github.com/acme/deploy/pull/8');
    expect(reply.status).toBe('failed');
    expect(reply.text).toContain('no preview of https://github.com/acme/deploy/pull/8');
    expect(reply.text).toContain('pull_request');
  });
});
