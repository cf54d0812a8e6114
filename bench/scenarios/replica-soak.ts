import { randomUUID } from 'node:crypto';
import { githubPushBody, postGithubPush } from '../../test/support/github-push.js';
import {
  createDatabaseOn,
  postgresMissing,
  startCluster,
  stopCluster,
} from '../../test/support/postgres-server.js';
import { subscribeEvents } from '../../test/support/replica-events.js';
import { leaseHolders, managedFile } from '../../test/support/replica-state.js';
import { type BenchReplica, startBenchReplica, stopBenchReplicas, until } from '../lib/replicas.js';
import type { Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';
import { benchRepo } from '../lib/wheelhouse.js';

const APPS = 30;
const LEASE_SECONDS = 3;
const SECONDS = Number(process.env.WHEELHOUSE_BENCH_SOAK_SECONDS ?? 180);
const KILL_EVERY_MS = 60_000;
const DOWN_FOR_MS = 5_000;
const RATES = { readMs: 100, chatMs: 1_000, pushMs: 3_000 };
const ATTEMPTS = 3;
const SECRET = `soak-${randomUUID()}`;
/** Reply statuses that end a chat command (as `wheelhouse chat` reads them). */
const SETTLED = new Set(['done', 'info', 'failed', 'refused', 'awaiting-approval']);

const fileManifest = (app: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${app} }\nspec: { path: ${app}.txt, content: "${content}" }\n`;

interface Tally {
  served: number;
  retried: number;
  errors: number;
  latency: number[];
}

const tally = (): Tally => ({ served: 0, retried: 0, errors: 0, latency: [] });

/**
 * The soak of issue 17: three replicas on one PostgreSQL serve API reads, chat commands and
 * signed push webhooks at fixed rates, spread round-robin, while replica-b or replica-c is
 * SIGKILLed every minute and started again 5 s later. A request that fails is retried on the
 * next live replica (up to 3 attempts). replica-a is never killed; its event stream must see the
 * `sync.finished` of every pushed commit. At the end every app's history is read: a revision
 * whose resources were changed by more than one sync is a duplicate apply.
 */
export const replicaSoak: Scenario = {
  name: 'replica-soak',
  description: `3 replicas, ${APPS} apps, ${SECONDS} s of reads (10/s), chat (1/s) and push webhooks (1 per 3 s), a replica SIGKILLed every minute`,
  async run(context) {
    const missing = postgresMissing();
    if (missing) throw new Error(missing);
    const server = await startCluster();
    const replicas: BenchReplica[] = [];
    const closers: (() => void)[] = [];
    try {
      const store = await createDatabaseOn(server.port, 'bench_soak');
      const repo = await context.tmp('control');
      const names = Array.from({ length: APPS }, (_, i) => `app-${i}`);
      const commit = await benchRepo(repo, {
        'wheelhouse.yaml': `apps:\n${names.map((a) => `  - { name: ${a}, path: apps/${a}, interval: 1h }`).join('\n')}\nwebhooks:\n  github: { secretEnv: SOAK_HOOK_SECRET }\n`,
        ...Object.fromEntries(names.map((a) => [`apps/${a}/file.yaml`, fileManifest(a, 'v0')])),
      });
      const env = { SOAK_HOOK_SECRET: SECRET };
      const start = async (id: string, data: string) =>
        startBenchReplica(repo, data, store, id, { leaseSeconds: LEASE_SECONDS, env });
      for (const id of ['replica-a', 'replica-b', 'replica-c'])
        replicas.push(await start(id, await context.tmp(id)));
      const expected = new Map(names.map((a) => [a, 'v0']));
      const converged = async () => {
        const leases = await leaseHolders(store);
        for (const app of names) {
          const owner = replicas.find((r) => r.id === leases.get(app)?.owner);
          if (!owner || (await managedFile(owner.data, `${app}.txt`)) !== expected.get(app)) return false;
        }
        return true;
      };
      await until(performance.now(), 'the first convergence', converged);
      const [steady] = replicas as [BenchReplica];
      const stream = await subscribeEvents(steady);
      closers.push(stream.close);

      const live = () => replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      let next = 0;
      /** Runs `request` on live replicas in turn until it succeeds, at most ATTEMPTS times. */
      const spread = async (t: Tally, request: (r: BenchReplica) => Promise<void>) => {
        const began = performance.now();
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
          const choices = live();
          const replica = choices[next++ % choices.length];
          try {
            if (!replica) throw new Error('no replica is up');
            await request(replica);
            t.served++;
            if (attempt > 1) t.retried++;
            t.latency.push(performance.now() - began);
            return;
          } catch {
            // the next attempt goes to the next live replica
          }
        }
        t.errors++;
      };
      const authed = async (r: BenchReplica, path: string, init: RequestInit = {}) => {
        const res = await fetch(`${r.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${await r.token()}`, 'content-type': 'application/json' },
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) throw new Error(`${path} answered ${res.status}`);
        return res.json() as Promise<Record<string, unknown>>;
      };

      const reads = tally();
      const chats = tally();
      const pushes = tally();
      const pushedAt = new Map<string, { app: string; at: number }>();
      let chatCount = 0;
      let pushCount = 0;
      const inFlight = new Set<Promise<void>>();
      const launch = (work: Promise<void>) => {
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      };
      const read = () => spread(reads, async (r) => void (await authed(r, '/api/v1/apps')));
      const chat = () => {
        const n = chatCount++;
        const app = names[n % APPS] ?? '';
        const text = n % 10 === 9 ? `sync ${app}` : `status ${app}`;
        return spread(chats, async (r) => {
          const posted = (await authed(r, '/api/v1/chat/rooms/soak/messages', {
            method: 'POST',
            body: JSON.stringify({ text }),
          })) as { message: { id: string; thread?: string } };
          const thread = posted.message.thread ?? posted.message.id;
          const deadline = performance.now() + 30_000;
          while (performance.now() < deadline) {
            // Any live replica answers from the shared store, also after `r` was killed.
            const reader = live()[0] ?? r;
            const { messages } = (await authed(
              reader,
              `/api/v1/chat/rooms/soak/messages?thread=${encodeURIComponent(thread)}&limit=50`,
            ).catch(() => ({ messages: [] }))) as { messages: { bot?: boolean; status?: string }[] };
            if (messages.some((m) => m.bot && SETTLED.has(m.status ?? ''))) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          throw new Error(`no settled reply to "${text}"`);
        });
      };
      const push = async () => {
        const n = ++pushCount;
        const app = names[n % APPS] ?? '';
        const content = `v${n}`;
        expected.set(app, content);
        const head = await commit(
          { [`apps/${app}/file.yaml`]: fileManifest(app, content) },
          `${app} ${content}`,
        );
        pushedAt.set(head, { app, at: performance.now() });
        await spread(pushes, async (r) => {
          const res = await postGithubPush(r.url, SECRET, githubPushBody(repo, head));
          if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
        });
      };

      const timers = [
        setInterval(() => launch(read()), RATES.readMs),
        setInterval(() => launch(chat()), RATES.chatMs),
        setInterval(() => launch(push()), RATES.pushMs),
      ];
      let kills = 0;
      const began = performance.now();
      const killer = (async () => {
        while (performance.now() - began + KILL_EVERY_MS <= SECONDS * 1000) {
          await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
          const victim = replicas.find((r) => r.id === (kills % 2 === 0 ? 'replica-b' : 'replica-c'));
          if (!victim) break;
          kills++;
          const exited = new Promise((resolve) => victim.child.once('exit', resolve));
          victim.child.kill('SIGKILL');
          await exited;
          context.log(`${Math.round((performance.now() - began) / 1000)} s: SIGKILL ${victim.id}`);
          await new Promise((resolve) => setTimeout(resolve, DOWN_FOR_MS));
          replicas[replicas.indexOf(victim)] = await start(victim.id, victim.data);
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      for (const timer of timers) clearInterval(timer);
      await killer;
      await Promise.all(inFlight);
      await until(performance.now(), 'every app converged to its last push', converged);
      // A push is applied by a sync of its app at that revision or a later one (the repo's head
      // moves on with the other apps' pushes, so the owner may sync a newer commit of the same tree).
      const order = new Map([...pushedAt.keys()].map((revision, i) => [revision, i]));
      const finished = (app: string, revision: string) =>
        stream.events.find(
          (e) =>
            e.type === 'sync.finished' &&
            e.data.result === 'succeeded' &&
            e.data.app === app &&
            (order.get(e.data.revision ?? '') ?? -1) >= (order.get(revision) ?? 0),
        );
      // The File is written before its sync finishes: give the last events a moment to arrive.
      await until(
        performance.now(),
        'the sync.finished of every push',
        async () => [...pushedAt].every(([revision, { app }]) => finished(app, revision) !== undefined),
        30_000,
      ).catch(() => undefined);
      const applied: number[] = [];
      let lost = 0;
      for (const [revision, { app, at }] of pushedAt) {
        const seen = finished(app, revision);
        if (seen) {
          applied.push(seen.receivedAt - at);
          continue;
        }
        lost++;
        const others = stream.events
          .filter((e) => (e.type === 'sync.started' || e.type === 'sync.finished') && e.data.app === app)
          .map(
            (e) =>
              `${e.type} ${e.data.revision?.slice(0, 7)} from ${e.data.replica ?? steady.id} at ${Math.round((e.receivedAt - began) / 1000)} s`,
          );
        context.log(
          `no sync.finished of ${app} at ${revision.slice(0, 7)} (pushed at ${Math.round((at - began) / 1000)} s); its events: ${others.join('; ') || 'none'}`,
        );
      }

      // A duplicate apply: one replica changing the same app's resources for the same revision in
      // two syncs. (A new owner creating the File on its own disk after a move is not one: each
      // replica's process target has its own root here; it is counted apart.)
      const applies = new Map<string, number>();
      for (const e of stream.events) {
        if (e.type !== 'sync.finished' || !e.data.changes?.some((c) => c.action !== 'unchanged')) continue;
        const key = `${e.data.app} ${e.data.revision} ${e.data.replica ?? steady.id}`;
        applies.set(key, (applies.get(key) ?? 0) + 1);
      }
      let duplicates = 0;
      for (const count of applies.values()) duplicates += Math.max(0, count - 1);
      const perRevision = new Map<string, number>();
      for (const key of applies.keys()) {
        const revision = key.split(' ').slice(0, 2).join(' ');
        perRevision.set(revision, (perRevision.get(revision) ?? 0) + 1);
      }
      const afterMoves = [...perRevision.values()].reduce((n, c) => n + c - 1, 0);

      const total = (t: Tally) => t.served + t.errors;
      return [
        {
          metric: 'requests served',
          value: reads.served + chats.served + pushes.served,
          unit: 'count',
          detail: {
            'API reads': `${reads.served}/${total(reads)}`,
            'chat commands': `${chats.served}/${total(chats)}`,
            'push webhooks': `${pushes.served}/${total(pushes)}`,
            'served on a retry': reads.retried + chats.retried + pushes.retried,
            'replicas SIGKILLed': kills,
          },
        },
        {
          metric: 'errors after retries',
          value: reads.errors + chats.errors + pushes.errors,
          unit: 'count',
          target: '0',
        },
        { metric: 'sync.finished lost on SSE', value: lost, unit: 'count', target: `0 of ${pushedAt.size}` },
        {
          metric: 'duplicate applies',
          value: duplicates,
          unit: 'count',
          target: '0',
          detail: { 're-created by a new owner after a move': afterMoves },
        },
        latencyRow('API read (GET /api/v1/apps)', reads.latency),
        latencyRow('chat command → settled reply', chats.latency),
        latencyRow('push webhook accepted', pushes.latency),
        latencyRow('push → sync.finished on replica-a', applied),
      ];
    } finally {
      for (const close of closers) close();
      await stopBenchReplicas(replicas);
      await stopCluster(server.dir);
    }
  },
};
