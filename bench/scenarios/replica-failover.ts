import {
  createDatabaseOn,
  postgresMissing,
  startCluster,
  stopCluster,
} from '../../test/support/postgres-server.js';
import { leaseHolders, managedFile } from '../../test/support/replica-state.js';
import { type BenchReplica, startBenchReplica, stopBenchReplicas, until } from '../lib/replicas.js';
import type { Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';
import { benchRepo } from '../lib/wheelhouse.js';

const APPS = 9;
const ROUNDS = 3;
const LEASE_SECONDS = 3;

/**
 * Failover time of replicas on one PostgreSQL (issue 17): three `wheelhouse up` processes with a
 * 3 s lease share 9 File apps; a replica that owns apps is SIGKILLed, and we time until every app
 * it held is leased by another replica (higher fencing token) and converged there. The killed
 * replica is restarted between rounds.
 */
export const replicaFailover: Scenario = {
  name: 'replica-failover',
  description: `3 replicas, ${APPS} apps, ${LEASE_SECONDS} s lease: SIGKILL of an owner → its apps leased and converged elsewhere, ${ROUNDS} rounds`,
  async run(context) {
    const missing = postgresMissing();
    if (missing) throw new Error(missing);
    const server = await startCluster();
    const replicas: BenchReplica[] = [];
    try {
      const store = await createDatabaseOn(server.port, 'bench_failover');
      const repo = await context.tmp('control');
      const names = Array.from({ length: APPS }, (_, i) => `app-${i}`);
      await benchRepo(repo, {
        'wheelhouse.yaml': `apps:\n${names.map((a) => `  - { name: ${a}, path: apps/${a}, interval: 1s }`).join('\n')}\n`,
        ...Object.fromEntries(
          names.map((a) => [
            `apps/${a}/file.yaml`,
            `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${a} }\nspec: { path: ${a}.txt, content: "${a}" }\n`,
          ]),
        ),
      });
      const dirs = new Map<string, string>();
      for (const id of ['replica-a', 'replica-b', 'replica-c']) {
        dirs.set(id, await context.tmp(id));
        replicas.push(
          await startBenchReplica(repo, dirs.get(id) ?? '', store, id, { leaseSeconds: LEASE_SECONDS }),
        );
      }
      const converged = async (apps: readonly string[], tokensAbove?: Map<string, number>) => {
        const leases = await leaseHolders(store);
        for (const app of apps) {
          const lease = leases.get(app);
          const owner = replicas.find((r) => r.id === lease?.owner);
          if (!lease || !owner || lease.token <= (tokensAbove?.get(app) ?? 0)) return false;
          if ((await managedFile(owner.data, `${app}.txt`)) !== app) return false;
        }
        return true;
      };
      await until(performance.now(), 'the first convergence', () => converged(names));

      const leased: number[] = [];
      const healed: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const before = await leaseHolders(store);
        const victim = replicas.find((r) => [...before.values()].some((l) => l.owner === r.id));
        if (!victim) throw new Error('no replica owns apps');
        const held = [...before].filter(([, l]) => l.owner === victim.id);
        const tokens = new Map(held.map(([app, l]) => [app, l.token]));
        const apps = held.map(([app]) => app);
        const exited = new Promise((resolve) => victim.child.once('exit', resolve));
        const killedAt = performance.now();
        victim.child.kill('SIGKILL');
        await exited;
        replicas.splice(replicas.indexOf(victim), 1);
        leased.push(
          await until(killedAt, 'the leases taken over', async () => {
            const now = await leaseHolders(store);
            return apps.every((app) => (now.get(app)?.token ?? 0) > (tokens.get(app) ?? 0));
          }),
        );
        healed.push(await until(killedAt, 'the apps converged elsewhere', () => converged(apps, tokens)));
        context.log(
          `round ${round + 1}: ${apps.length} apps of ${victim.id} leased after ${Math.round(leased.at(-1) ?? 0)} ms, converged after ${Math.round(healed.at(-1) ?? 0)} ms`,
        );
        replicas.push(
          await startBenchReplica(repo, victim.data, store, victim.id, { leaseSeconds: LEASE_SECONDS }),
        );
        await until(
          performance.now(),
          'the restarted replica to rejoin and all apps to converge',
          async () => {
            const now = await leaseHolders(store);
            return [...now.values()].some((l) => l.owner === victim.id) && (await converged(names));
          },
        );
      }
      return [
        latencyRow(
          'SIGKILL → leases taken over',
          leased,
          `≤ lease (${LEASE_SECONDS * 1000} ms) + one heartbeat`,
        ),
        latencyRow(
          'SIGKILL → apps converged elsewhere',
          healed,
          'issue 17: within the lease time (15 s default)',
        ),
      ];
    } finally {
      await stopBenchReplicas(replicas);
      await stopCluster(server.dir);
    }
  },
};
