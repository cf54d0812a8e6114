import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BOT } from '../../src/access/operations/index.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
    sync: { auto: false }
    images:
      - image: 127.0.0.1:5000/shop/web
        policy: { semver: "^1.0.0" }
  - name: api
    path: apps/api
    environment: prod
    sync: { auto: false }
    images:
      - image: 127.0.0.1:5000/shop/api
        policy: { semver: "^1.0.0" }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  bindings:
    - { subjects: ["${IMAGE_BOT}", Alice], role: deployer }
    - { subjects: [Bob], role: approver }
approvals:
  - { environments: [prod], commands: [image-update], required: 1 }
`;

const COMPOSE = `services:
  web:
    image: 127.0.0.1:5000/shop/web:1.0.0 # bumped by the bot
    command: ["sleep", "3600"]
`;

const update = (app: string, tag: string) => ({
  actor: IMAGE_BOT,
  command: 'image-update',
  args: { app, image: `127.0.0.1:5000/shop/${app}`, tag },
  text: `image-update ${app} ${tag}`,
  platform: 'images',
});

/** Issue 21: image updates are a person's change as far as Git, approvals and locks go. */
describe('image-update through the actions service', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/compose.yaml': COMPOSE,
      'apps/api/compose.yaml': COMPOSE.replaceAll('shop/web', 'shop/api'),
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('commits the new tag as the bot with a Wheelhouse-Image trailer and a rollback hint', async () => {
    const result = await stack.chatops.actions.perform(update('web', '1.2.0'));
    expect(result.status).toBe('done');
    const log = await git(
      stack.control,
      'log',
      '-1',
      '--format=%an|%s|%(trailers:key=Wheelhouse-Image,valueonly)|%(trailers:key=Wheelhouse-Actor,valueonly)',
      'main',
    );
    expect(log.trim().replace(/\n/g, '')).toBe(
      `${IMAGE_BOT}|web: update 127.0.0.1:5000/shop/web to 1.2.0|127.0.0.1:5000/shop/web:1.0.0 -> 127.0.0.1:5000/shop/web:1.2.0|${IMAGE_BOT}`,
    );
    expect(await git(stack.control, 'log', '-1', '--format=%b', 'main')).toContain('rollback web');
    expect(await git(stack.control, 'show', 'main:apps/web/compose.yaml')).toContain(
      'image: 127.0.0.1:5000/shop/web:1.2.0 # bumped by the bot',
    );
  });

  it('a locked app gets no commit, and the refusal says who holds the lock', async () => {
    const before = await git(stack.control, 'rev-parse', 'main');
    await stack.store.acquireLock({
      app: 'web',
      holder: 'web:alice',
      reason: 'incident',
      createdAt: new Date().toISOString(),
    });
    const result = await stack.chatops.actions.perform(update('web', '1.3.0'));
    expect(result).toMatchObject({ status: 'refused', code: 'LOCKED' });
    expect(result.status === 'refused' && result.reason).toMatch(/locked by Alice .*incident/);
    expect(await git(stack.control, 'rev-parse', 'main')).toBe(before);
    await stack.store.releaseLock('web');
  });

  it('an approval rule holds the update until someone approves it; then the bot commits', async () => {
    const before = await git(stack.control, 'rev-parse', 'main');
    const result = await stack.chatops.actions.perform(update('api', '1.4.0'));
    expect(result.status).toBe('awaiting-approval');
    expect(await git(stack.control, 'rev-parse', 'main')).toBe(before);
    if (result.status !== 'awaiting-approval') return;
    const decided = await stack.chatops.actions.decide({
      actor: 'web:bob',
      approvalId: result.approval.id,
      decision: 'approve',
      platform: 'web',
    });
    expect(decided.status).toBe('approved');
    if (decided.status === 'approved') expect((await decided.execution).status).toBe('done');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an %(trailers:key=Wheelhouse-Approved-By,valueonly)',
        'main',
      ),
    ).toContain(`${IMAGE_BOT} web:bob`);
  });
});
