import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicasResponse } from '../../src/cli/client/api-types.js';
import { createPostgresStore } from '../../src/store/index.js';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { fileApp, leaseHolders, managedFile, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica failover suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
/** Several real processes on a shared 2-core machine: generous, never a measure of speed. */
const TEST_TIMEOUT_MS = 300_000;
/** 30 apps over 3 replicas, as issue 17 asks (names fixed, so the rendezvous spread is too). */
const APPS = Array.from({ length: 30 }, (_, i) => `app-${i}`);

/** An app whose sync takes a few seconds (a PreSync Job) before its File is written. */
const slowApp = (content: string) =>
  `apiVersion: wheelhouse/v1
kind: Job
metadata: { name: wait }
spec:
  command: ["sleep", "4"]
  phase: PreSync
---
${fileApp('slow', content)}`;

const controlRepo = (apps: readonly string[], extra = '') =>
  `apps:\n${apps.map((a) => `  - { name: ${a}, path: apps/${a}, interval: 1s }`).join('\n')}\n${extra}`;

/** A process target pinned to one replica (`host:`) and an app on it. */
const PINNED = `  - { name: pinned, path: apps/pinned, interval: 1s, target: edge }
targets:
  edge: { driver: process, host: replica-a }
`;

/**
 * Issue 17, items 1-3: real `wheelhouse up` processes, each with its own data dir and port, on
 * one PostgreSQL database. Process targets run on each replica's machine (here: its data dir), so
 * an app that moves is converged again by its new owner.
 */
describe.skipIf(missing !== undefined)('several replicas on one PostgreSQL', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.up.child.signalCode === null && r.up.child.exitCode === null) r.up.child.kill('SIGCONT');
      await r.stop();
    }
  });

  it(
    'spreads the apps, lists the replicas, and moves a SIGKILLed replica’s apps to the others, which converge them',
    async () => {
      const store = await postgres.createDatabase('failover_kill');
      const repo = await tmp('control');
      await createRepo(repo, {
        'wheelhouse.yaml': controlRepo(APPS, PINNED),
        ...Object.fromEntries([...APPS, 'pinned'].map((a) => [`apps/${a}/file.yaml`, fileApp(a, `${a} v1`)])),
      });
      for (const id of ['replica-a', 'replica-b', 'replica-c'])
        running.push(await startReplica(tmp, repo, store, id, LEASE_SECONDS));
      const byId = (id: string) => running.find((r) => r.id === id);

      // Every app has one owner, several replicas own apps, and each owner converged its apps; the
      // leases read the same twice, more than a heartbeat apart (the last replica's joining is over).
      let previous = '';
      const holders = await waitFor(
        'every app leased and converged by its owner, the leases settled',
        async () => {
          const leases = await leaseHolders(store);
          const seen = JSON.stringify([...leases].sort());
          const settled = seen === previous;
          previous = seen;
          if (!settled || leases.size !== APPS.length + 1) return undefined;
          for (const [app, lease] of leases) {
            const owner = byId(lease.owner);
            if (!owner || (await managedFile(owner.data, `${app}.txt`)) !== `${app} v1`) return undefined;
          }
          return leases;
        },
        { timeoutMs: 120_000, intervalMs: 1_500 },
      );
      const owners = new Set([...holders.values()].map((l) => l.owner));
      expect(owners.size).toBe(3);
      // The app on the target pinned to replica-a runs there and nowhere else.
      expect(holders.get('pinned')?.owner).toBe('replica-a');
      expect(await managedFile(byId('replica-b')?.data ?? '', 'pinned.txt')).toBeUndefined();
      expect(await managedFile(byId('replica-c')?.data ?? '', 'pinned.txt')).toBeUndefined();

      // `status --replicas` on any replica lists all three, live, with the apps each holds.
      const listed = await running[1]?.cli('status', '--replicas', '--json');
      expect(listed?.code).toBe(0);
      const body = JSON.parse(listed?.stdout ?? '{}') as ReplicasResponse;
      expect(body.self).toBe('replica-b');
      expect(body.replicas.map((r) => [r.id, r.live])).toEqual([
        ['replica-a', true],
        ['replica-b', true],
        ['replica-c', true],
      ]);
      expect(body.replicas.reduce((n, r) => n + r.apps, 0)).toBe(APPS.length + 1);
      expect(body.replicas[0]?.address).toBe(byId('replica-a')?.url);
      const table = await running[0]?.cli('status', '--replicas');
      expect(table?.stdout).toContain('replica-a (this one)');
      expect(table?.stdout).toContain(`3 of 3 replicas live; ${APPS.length + 1} app leases held`);

      // A sync asked of a replica that does not own the app runs on the owner (queued through PostgreSQL).
      const [app, lease] =
        [...holders].find(([name, l]) => name !== 'pinned' && l.owner !== 'replica-c') ?? [];
      const asked = await byId('replica-c')?.cli('sync', app ?? '', '--json');
      expect(asked?.code).toBe(0);
      const operationId = (JSON.parse(asked?.stdout ?? '{}') as { operationId?: string }).operationId ?? '';
      const history = await createPostgresStore({ connectionString: store });
      try {
        const record = await waitFor('the forwarded sync finished on the owner', async () => {
          const r = await history.getSync(operationId);
          return r && r.result !== 'running' ? r : undefined;
        });
        expect(record.result).toBe('succeeded');
        expect(record.app).toBe(app);
        expect(record.actor).not.toBe('');
        expect(byId(lease?.owner ?? '')?.up.messages.join('\n')).toContain(
          `sync ${operationId} of app ${app} forwarded by another replica`,
        );
      } finally {
        await history.close();
      }

      // SIGKILL a replica that owns apps (not replica-a: its pinned app would stay with it):
      // another replica takes its apps over and converges them.
      const victimId = [...owners].find((id) => id !== 'replica-a') ?? '';
      const victim = byId(victimId);
      const moved = [...holders].filter(([, l]) => l.owner === victimId);
      await victim?.up.kill9();
      running.splice(running.indexOf(victim as Replica), 1);
      await waitFor(
        'the killed replica’s apps owned and converged by the others',
        async () => {
          const leases = await leaseHolders(store);
          for (const [app, before] of moved) {
            const now = leases.get(app);
            const owner = now ? byId(now.owner) : undefined;
            if (!now || !owner || now.token <= before.token) return false;
            if ((await managedFile(owner.data, `${app}.txt`)) !== `${app} v1`) return false;
          }
          return true;
        },
        { timeoutMs: 60_000 },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a replica paused past its lease applies nothing of the sync it was in (fencing), the new owner converges, and it rejoins',
    async () => {
      const store = await postgres.createDatabase('failover_pause');
      const repo = await tmp('control');
      await createRepo(repo, {
        'wheelhouse.yaml': controlRepo(['slow']),
        'apps/slow/app.yaml': slowApp('v1'),
      });
      for (const id of ['replica-a', 'replica-b'])
        running.push(await startReplica(tmp, repo, store, id, LEASE_SECONDS));
      const first = await waitFor(
        'slow converged by its owner',
        async () => {
          const lease = (await leaseHolders(store)).get('slow');
          const owner = running.find((r) => r.id === lease?.owner);
          return owner && (await managedFile(owner.data, 'slow.txt')) === 'v1' && lease
            ? { owner, lease }
            : undefined;
        },
        { timeoutMs: 90_000 },
      );
      const paused = first.owner;
      const other = running.find((r) => r !== paused) as Replica;

      // A new commit: the owner starts syncing it (the Job takes seconds) and is paused meanwhile.
      const history = await createPostgresStore({ connectionString: store });
      try {
        await commitFiles(repo, { 'apps/slow/app.yaml': slowApp('v2') }, 'slow v2');
        const caught = await waitFor('the owner syncing v2', async () =>
          (await history.listRunningSyncs()).find((s) => s.app === 'slow'),
        );
        paused.up.child.kill('SIGSTOP');

        // The other replica takes the lease over (a higher token) and converges v2 itself.
        await waitFor(
          'the other replica converging v2',
          async () => {
            const lease = (await leaseHolders(store)).get('slow');
            return (
              lease?.owner === other.id &&
              lease.token > first.lease.token &&
              (await managedFile(other.data, 'slow.txt')) === 'v2'
            );
          },
          { timeoutMs: 60_000 },
        );
        const abandoned = await history.getSync(caught.id);
        expect(abandoned?.result).toBe('cancelled');
        expect(abandoned?.messages.join('\n')).toContain(`replica ${other.id} took it over`);

        // Resumed: it finds its lease gone at the apply boundary and applies nothing of v2.
        paused.up.child.kill('SIGCONT');
        await paused.up.waitForMessage(/no longer holds the lease of app slow/);
        expect(await managedFile(paused.data, 'slow.txt')).toBe('v1');
        // Its record, written after the refusal, says so; it stays cancelled with no File applied.
        const fenced = new RegExp(
          `abandoned: applying (Job wait|File slow) was refused: replica ${paused.id} no longer holds the lease of app slow`,
        );
        const record = await waitFor('the paused replica’s record of the refusal', async () => {
          const r = await history.getSync(caught.id);
          return r && fenced.test(r.messages.join('\n')) ? r : undefined;
        });
        expect(record.result).toBe('cancelled');
        expect(record.changeSet.filter((c) => c.kind === 'File')).toEqual([]);

        // And it rejoins: live again in the list.
        await waitFor('the paused replica live again', async () => {
          const listed = await other.cli('status', '--replicas', '--json');
          const body = JSON.parse(listed.stdout || '{}') as ReplicasResponse;
          return body.replicas?.find((r) => r.id === paused.id)?.live === true;
        });
      } finally {
        await history.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
  it(
    'a replica SIGKILLed in the middle of a sync: another takes the app over, closes the sync it left running and runs it again, once',
    async () => {
      const store = await postgres.createDatabase('failover_kill_mid_sync');
      const repo = await tmp('control');
      await createRepo(repo, {
        'wheelhouse.yaml': controlRepo(['slow']),
        'apps/slow/app.yaml': slowApp('v1'),
      });
      for (const id of ['replica-a', 'replica-b', 'replica-c'])
        running.push(await startReplica(tmp, repo, store, id, LEASE_SECONDS));
      // Settled: the third replica has joined, and the lease reads the same twice in a row.
      let previous = '';
      const first = await waitFor(
        'slow converged by its owner, its lease settled',
        async () => {
          const lease = (await leaseHolders(store)).get('slow');
          const owner = running.find((r) => r.id === lease?.owner);
          const seen = JSON.stringify(lease);
          const same = seen === previous;
          previous = seen;
          return same && owner && (await managedFile(owner.data, 'slow.txt')) === 'v1' && lease
            ? { owner, lease }
            : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 2_000 },
      );
      const history = await createPostgresStore({ connectionString: store });
      try {
        const revision = await commitFiles(repo, { 'apps/slow/app.yaml': slowApp('v2') }, 'slow v2');
        const caught = await waitFor('the owner syncing v2', async () =>
          (await history.listRunningSyncs()).find((s) => s.app === 'slow'),
        );
        // The lease holder is the one running it (only the holder syncs an app).
        const holder = (await leaseHolders(store)).get('slow');
        const killed = running.find((r) => r.id === holder?.owner) as Replica;
        killed.up.child.kill('SIGKILL');

        // Another replica takes the lease (a higher token) and converges v2 on its own host.
        const taken = await waitFor(
          'another replica converging v2',
          async () => {
            const lease = (await leaseHolders(store)).get('slow');
            const owner = running.find((r) => r.id === lease?.owner && r !== killed);
            return owner &&
              lease &&
              lease.token > (holder?.token ?? first.lease.token) &&
              (await managedFile(owner.data, 'slow.txt')) === 'v2'
              ? owner
              : undefined;
          },
          { timeoutMs: 60_000 },
        );
        // The interrupted record is completed, not left running, and names who took over.
        const abandoned = await history.getSync(caught.id);
        expect(abandoned?.result).toBe('cancelled');
        expect(abandoned?.finishedAt).toBeDefined();
        expect(abandoned?.messages.join('\n')).toContain(`replica ${taken.id} took it over`);
        // Run again once, by the new owner, with the same trigger and actor.
        const ofV2 = (await history.listSyncs('slow', { limit: 50 })).filter(
          (r) => r.revision === revision && !r.dryRun && r.id !== caught.id,
        );
        expect(ofV2.map((r) => [r.result, r.trigger, r.actor])).toEqual([
          ['succeeded', caught.trigger, caught.actor],
        ]);
        expect(await history.listRunningSyncs()).toEqual([]);
        // The killed replica applied nothing of v2 before it died (its Job was still running).
        expect(await managedFile(killed.data, 'slow.txt')).not.toBe('v2');
      } finally {
        await history.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
