import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../src/core/index.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { manifest } from '../support/delivery-history.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
  - name: other
    path: apps/other
    environment: prod
notifications:
  routes:
    - { platform: web, channel: digest, environments: [dev], events: [sync.failed], digest: weekly }
`;

describe('weekly delivery digest (a notification route with digest: weekly)', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

  beforeAll(async () => {
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': manifest('v1'),
      'apps/other/web.yaml': manifest('other'),
    });
    await waitFor('web to be Healthy', async () => stack.engine.status('web').health.status === 'Healthy');
    await stack.pushFromOutside({ 'apps/web/web.yaml': manifest('v2') }, 'web v2');
    await waitFor('v2 to be Healthy', async () => stack.engine.status('web').health.status === 'Healthy');
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("posts last week's figures of the route's apps once per week, on Monday", async () => {
    // Early next Monday (UTC): the week before is the one these syncs happened in.
    const monday = bucketStart(Date.now(), 'week') + WEEK_MS;
    stack.clock.offsetMs = monday + 60 * 60 * 1000 - Date.now();
    expect(await stack.chatops.digest.runOnce()).toBe(1);
    expect(await stack.chatops.digest.runOnce()).toBe(0); // that week was told already
    const posted = await stack.store.listChatMessages('digest');
    expect(posted).toHaveLength(1);
    const text = posted[0]?.text ?? '';
    const week = new Date(monday - WEEK_MS).toISOString().slice(0, 10);
    expect(text).toContain(`Weekly delivery digest, week of ${week}: 1 apps`);
    expect(text).toContain('Deployment frequency: 2 deployments');
    expect(text).toContain('Lead time for changes: median');
    expect(text).toContain('(1 commit)');
    expect(text).toContain('web: 2 deployments');
    expect(text).not.toContain('other:'); // the route keeps environment dev only
  });
});
