import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { leaseHolders, managedFile, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica webhook suite: ${missing}`);

const require = createRequire(import.meta.url);
const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;
const SECRET = `hook-${randomUUID()}`;

const fileApp = (content: string) =>
  `apiVersion: wheelhouse/v1
kind: File
metadata: { name: web }
spec:
  path: web.txt
  content: "${content}"
`;

/** GitHub's own push example, pointed at a local repository and a new head. */
function pushPayload(repo: string, after: string): string {
  const examples = require('@octokit/webhooks-examples') as {
    name: string;
    examples: Record<string, unknown>[];
  }[];
  const push = structuredClone(examples.find((d) => d.name === 'push')?.examples[0]) as Record<
    string,
    unknown
  > & {
    repository: Record<string, unknown>;
  };
  const url = pathToFileURL(repo).href;
  Object.assign(push.repository, { clone_url: url, git_url: url, ssh_url: repo, html_url: url, url });
  return JSON.stringify({ ...push, after, ref: 'refs/heads/main' });
}

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
      await createRepo(apps, { 'web/file.yaml': fileApp('v1') });
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

      const head = await commitFiles(apps, { 'web/file.yaml': fileApp('v2') }, 'web v2');
      const body = pushPayload(apps, head);
      const response = await fetch(`${idle.url}/hooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        },
        body,
      });
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
