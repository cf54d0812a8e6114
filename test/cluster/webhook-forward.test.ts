import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { githubPushBody, postGithubPush } from '../support/github-push.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { fileApp, leaseHolders, managedFile, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica webhook suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;
const SECRET = `hook-${randomUUID()}`;

/**
 * Issue 17: a push webhook that reaches a replica owning none of the repo's apps (behind a load
 * balancer, any replica gets it) wakes the owner through the database. The app's repository is
 * polled once an hour, so only the webhook can bring the new commit in during the test.
 */
describe.skipIf(missing !== undefined)('a webhook sent to a replica that owns nothing', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
  });

  it(
    'makes the owner fetch and sync the pushed commit',
    async () => {
      const store = await postgres.createDatabase('webhook_forward');
      const apps = await tmp('apps');
      await createRepo(apps, { 'web/file.yaml': fileApp('web', 'v1') });
      const control = await tmp('control');
      await createRepo(control, {
        'wheelhouse.yaml': `apps:
  - { name: web, source: { repo: ${apps}, ref: main }, path: web, interval: 1h, target: edge }
targets:
  edge: { driver: process, host: replica-a }
webhooks:
  github: { secretEnv: HOOK_SECRET }
`,
      });
      const env = { HOOK_SECRET: SECRET };
      for (const id of ['replica-a', 'replica-b'])
        running.push(await startReplica(tmp, control, store, id, LEASE_SECONDS, env));
      const [owner, idle] = running as [Replica, Replica];
      await waitFor(
        'web converged by replica-a',
        async () =>
          (await leaseHolders(store)).get('web')?.owner === 'replica-a' &&
          (await managedFile(owner.data, 'web.txt')) === 'v1',
        { timeoutMs: 90_000 },
      );
      expect([...(await leaseHolders(store)).values()].some((l) => l.owner === 'replica-b')).toBe(false);

      const head = await commitFiles(apps, { 'web/file.yaml': fileApp('web', 'v2') }, 'web v2');
      const response = await postGithubPush(idle.url, SECRET, githubPushBody(apps, head));
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'accepted', apps: ['web'] });

      // The owner fetched and applied it; the replica that took the webhook applied nothing.
      await waitFor('replica-a applying the pushed commit', async () =>
        (await managedFile(owner.data, 'web.txt')) === 'v2' ? true : undefined,
      );
      expect(await managedFile(idle.data, 'web.txt')).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );
});
