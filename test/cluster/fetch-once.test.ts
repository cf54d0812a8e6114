import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { createRepo, git } from '../support/git.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { fileApp, leaseHolders, managedFile, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica fetch suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;
const APPS = ['web-0', 'web-1', 'web-2', 'web-3'];

/**
 * Issue 17, global work once: a repository is fetched by the replicas that own apps of it, once
 * per poll, and not by the others. Every replica's git sends its id in a
 * header (`http.extraHeader` through `GIT_CONFIG_GLOBAL`), so the git server can tell them apart.
 */
describe.skipIf(missing !== undefined)('replicas fetching a repository', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  let server: GitHttpServer;
  let root: string;
  beforeAll(async () => {
    await ensureBuilt();
    root = await tmp('served');
    server = await startGitHttpServer({ root });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
  });

  it(
    'leaves a repository whose apps another replica owns to that replica, which fetches it once per poll',
    async () => {
      const store = await postgres.createDatabase('fetch_once');
      const seed = await tmp('seed');
      await createRepo(seed, Object.fromEntries(APPS.map((a) => [`${a}/file.yaml`, fileApp(a, `${a} v1`)])));
      await git(seed, 'clone', '--quiet', '--bare', seed, join(root, 'team', 'apps.git'));
      const served = server.repoUrl('team/apps.git');
      const control = await tmp('control');
      await createRepo(control, {
        'wheelhouse.yaml': `apps:
${APPS.map((a) => `  - { name: ${a}, source: { repo: ${served}, ref: main }, path: ${a}, interval: 1s, target: edge }`).join('\n')}
targets:
  edge: { driver: process, host: replica-a }
`,
      });
      for (const id of ['replica-a', 'replica-b', 'replica-c']) {
        const config = join(await tmp(`gitconfig-${id}`), 'gitconfig');
        await writeFile(config, `[http]\n\textraHeader = X-Test-Client: ${id}\n`);
        running.push(
          await startReplica(tmp, control, store, id, LEASE_SECONDS, { GIT_CONFIG_GLOBAL: config }),
        );
      }
      const [owner] = running as [Replica];
      await waitFor(
        'every app converged by replica-a, the other replicas live',
        async () => {
          const leases = await leaseHolders(store);
          if (leases.size !== APPS.length || [...leases.values()].some((l) => l.owner !== 'replica-a'))
            return undefined;
          for (const app of APPS)
            if ((await managedFile(owner.data, `${app}.txt`)) !== `${app} v1`) return undefined;
          return true;
        },
        { timeoutMs: 90_000, intervalMs: 1_000 },
      );

      // From here on: polls of 1 s. replica-a fetches at each; the others own nothing of the repo.
      const from = server.requests.length;
      const fetches = (client: string) =>
        server.requests
          .slice(from)
          .filter(
            (r) => r.client === client && r.url.includes('/team/apps.git/info/refs?service=git-upload-pack'),
          );
      await waitFor('replica-a polling the repository five times', async () =>
        fetches('replica-a').length >= 5 ? true : undefined,
      );
      expect(fetches('replica-b')).toEqual([]);
      expect(fetches('replica-c')).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
