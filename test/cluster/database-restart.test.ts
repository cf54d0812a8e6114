import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { subscribeEvents } from '../support/replica-events.js';
import { fileApp, leaseHolders, managedFile, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the database restart suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;
const APPS = ['app-0', 'app-1', 'app-2', 'app-3'];

/**
 * Issue 17: the database restarted under two replicas. Real `wheelhouse up` processes; the
 * PostgreSQL server is stopped at once (as in a crash) and started again on the same port.
 */
describe.skipIf(missing !== undefined)('replicas while their database restarts', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  });
  afterEach(async () => {
    await postgres.resume().catch(() => {});
    for (const r of running.splice(0)) await r.stop();
  });

  it(
    'says the database is away, applies nothing meanwhile, then reconnects and applies what was committed, with events relayed again',
    async () => {
      const store = await postgres.createDatabase('db_restart');
      const repo = await tmp('control');
      await createRepo(repo, {
        'wheelhouse.yaml': `apps:\n${APPS.map((a) => `  - { name: ${a}, path: apps/${a}, interval: 1s }`).join('\n')}\n`,
        ...Object.fromEntries(APPS.map((a) => [`apps/${a}/file.yaml`, fileApp(a, `${a} v1`)])),
      });
      for (const id of ['replica-a', 'replica-b'])
        running.push(await startReplica(tmp, repo, store, id, LEASE_SECONDS));
      const byId = (id: string) => running.find((r) => r.id === id);
      const converged = async (version: string) => {
        const leases = await leaseHolders(store);
        if (leases.size !== APPS.length) return undefined;
        for (const [app, lease] of leases) {
          const owner = byId(lease.owner);
          if (!owner || (await managedFile(owner.data, `${app}.txt`)) !== `${app} ${version}`)
            return undefined;
        }
        return leases;
      };
      /** Every app converged at `version` by its owner, and the leases read the same twice in a row. */
      const settled = async (version: string) => {
        let previous = '';
        return waitFor(
          `every app leased and converged at ${version}, the leases settled`,
          async () => {
            const leases = await converged(version);
            const seen = JSON.stringify([...(leases ?? [])].sort());
            const same = leases !== undefined && seen === previous;
            previous = seen;
            return same ? leases : undefined;
          },
          { timeoutMs: 120_000, intervalMs: 1_500 },
        );
      };
      await settled('v1');

      await postgres.halt();
      // A commit while the database is away: no replica may apply it (none can renew its leases).
      await commitFiles(
        repo,
        Object.fromEntries(APPS.map((a) => [`apps/${a}/file.yaml`, fileApp(a, `${a} v2`)])),
        'v2 while the database is down',
      );
      for (const replica of running) {
        // A timeout here shows what the replica said instead, to tell a slow heartbeat from a stuck one.
        await waitFor(`${replica.id} saying the database is away`, async () =>
          replica.up.messages.find((m) => m.includes('cannot reach the database at')),
        ).catch((err: unknown) => {
          throw new Error(
            `${String(err)}; its last log lines:\n${replica.up.messages.slice(-20).join('\n')}`,
          );
        });
      }
      // Two lease times without the database: past the point where every lease has lapsed.
      await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_SECONDS * 1000));
      for (const app of APPS) {
        for (const replica of running)
          expect(await managedFile(replica.data, `${app}.txt`)).not.toBe(`${app} v2`);
      }
      for (const replica of running) {
        const said = replica.up.messages.find((m) => m.includes('cannot reach the database at')) ?? '';
        expect(said).toMatch(/retries every \d+ ms/);
        expect(said).not.toContain('password');
      }

      await postgres.resume();
      // Reconnected: the leases are taken again and v2 is applied by each app's owner.
      const leases = await settled('v2');
      for (const replica of running) {
        await waitFor(`${replica.id} saying the database is back`, async () =>
          replica.up.messages.find((m) => m.includes('is reachable again')),
        );
      }

      // LISTEN is made again too: a sync on one replica reaches the other's live events.
      const [app, lease] = [...leases][0] ?? [];
      const other = running.find((r) => r.id !== lease?.owner);
      expect(other).toBeDefined();
      const live = await subscribeEvents(other as Replica);
      try {
        const name = app ?? '';
        const revision = await commitFiles(
          repo,
          { [`apps/${name}/file.yaml`]: fileApp(name, `${name} v3`) },
          'v3',
        );
        const relayed = await waitFor(
          'the owner’s sync relayed to the other replica',
          async () =>
            live.events.find(
              (e) => e.type === 'sync.finished' && e.data.app === name && e.data.revision === revision,
            ),
          { timeoutMs: 60_000 },
        );
        expect(relayed.data.replica).toBe(lease?.owner);
      } finally {
        live.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
