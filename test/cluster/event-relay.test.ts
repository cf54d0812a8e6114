import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/core/index.js';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { type SseEvent, subscribeEvents } from '../support/replica-events.js';
import { fileApp, leaseHolders, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica event relay suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;
const APPS = ['app-0', 'app-1', 'app-2', 'app-3', 'app-4', 'app-5'];

/**
 * Issue 17: the dashboard, `sync --wait` and chat progress of any replica see what every replica
 * does. Real `wheelhouse up` processes on one PostgreSQL; events cross through NOTIFY.
 */
describe.skipIf(missing !== undefined)('events relayed between replicas', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
  });

  it(
    'shows on one replica’s live events and app status the sync another replica ran, once',
    async () => {
      const store = await postgres.createDatabase('event_relay');
      const repo = await tmp('control');
      await createRepo(repo, {
        'wheelhouse.yaml': `apps:\n${APPS.map((a) => `  - { name: ${a}, path: apps/${a}, interval: 1s }`).join('\n')}\n`,
        ...Object.fromEntries(APPS.map((a) => [`apps/${a}/file.yaml`, fileApp(a, `${a} v1`)])),
      });
      for (const id of ['replica-a', 'replica-b'])
        running.push(await startReplica(tmp, repo, store, id, LEASE_SECONDS));
      const [a, b] = running as [Replica, Replica];
      let previous = '';
      const holders = await waitFor(
        'every app leased, the leases settled',
        async () => {
          const leases = await leaseHolders(store);
          const seen = JSON.stringify([...leases].sort());
          const settled = seen === previous && leases.size === APPS.length;
          previous = seen;
          return settled ? leases : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_500 },
      );
      const app = [...holders].find(([, l]) => l.owner === 'replica-b')?.[0];
      expect(app, 'replica-b owns at least one app').toBeDefined();
      const name = app ?? '';

      const onA = await subscribeEvents(a);
      const onB = await subscribeEvents(b);
      try {
        // Long content: the sync's events are sent in several NOTIFY parts and put together again.
        const content = `${name} v2 ${'x'.repeat(12_000)}`;
        const revision = await commitFiles(
          repo,
          { [`apps/${name}/file.yaml`]: fileApp(name, content) },
          'v2',
        );
        const finished = (events: SseEvent[]) =>
          events.find(
            (e) => e.type === 'sync.finished' && e.data.app === name && e.data.revision === revision,
          );
        const onOwner = await waitFor('the owner’s own event', async () => finished(onB.events), {
          timeoutMs: 60_000,
        });
        const relayed = await waitFor('the event relayed to replica-a', async () => finished(onA.events), {
          timeoutMs: 30_000,
        });
        expect(onOwner.data.replica).toBeUndefined();
        expect(relayed.data.replica).toBe('replica-b');
        expect(relayed.data.syncId).toBe(onOwner.data.syncId);
        expect(relayed.data.result).toBe('succeeded');
        // Progress crosses too (what `sync --wait` and chat show while it runs).
        expect(
          onA.events.some((e) => e.type === 'sync.started' && e.data.syncId === onOwner.data.syncId),
        ).toBe(true);
        // Each event once on each replica: the relay does not echo back to its sender.
        const count = (events: SseEvent[]) =>
          events.filter((e) => e.type === 'sync.finished' && e.data.syncId === onOwner.data.syncId).length;
        expect(count(onA.events)).toBe(1);
        expect(count(onB.events)).toBe(1);

        // replica-a does not observe the app, yet answers its status as the owner would.
        const status = await waitFor('replica-a’s status of the app at the new revision', async () => {
          const answer = await a.cli('status', name, '--json');
          const body = JSON.parse(answer.stdout || '{}') as AppStatus;
          return body.lastSync?.id === onOwner.data.syncId ? body : undefined;
        });
        expect(status.revision).toBe(revision);
        expect(status.lastSync?.result).toBe('succeeded');
        expect(status.health.status).not.toBe('Unknown');
        // Told once, by the owner only: only replica-b's log narrates the sync of the new revision.
        const line = `${name}: sync succeeded at ${revision.slice(0, 7)}`;
        expect(b.up.messages.join('\n')).toContain(line);
        expect(a.up.messages.join('\n')).not.toContain(line);
      } finally {
        onA.close();
        onB.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
