import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Cluster,
  type ForwardedRequest,
  isWheelhouseError,
  type Logger,
} from '../../../src/core/index.js';
import { createPostgresCluster } from '../../../src/store/index.js';
import { postgresMissing, usePostgresCluster } from '../../support/postgres.js';
import { waitFor } from '../../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica cluster suite: ${missing}`);

const APPS = Array.from({ length: 20 }, (_, i) => ({ name: `app-${String(i).padStart(2, '0')}` }));

describe.skipIf(missing !== undefined)('replicas on PostgreSQL: registry and leases', () => {
  const postgres = usePostgresCluster();
  const open: Cluster[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.stop()));
  });

  /** A replica whose engine holds `apps`; records what it gained and lost. */
  async function replica(
    url: string,
    id: string,
    apps = APPS,
    options: { pinned?: Map<string, string>; log?: Logger } = {},
  ) {
    const owned = new Map<string, number>();
    const forwarded: { app: string; request: ForwardedRequest }[] = [];
    const cluster = await createPostgresCluster({
      connectionString: url,
      self: { id, address: () => `http://127.0.0.1:7${id.length}70`, version: '9.9.9' },
      leaseMs: 900,
      expireMs: 3_000,
      ...(options.log ? { log: options.log } : {}),
    });
    open.push(cluster);
    await cluster.start({
      apps: () =>
        apps.map((a) => (options.pinned?.has(a.name) ? { ...a, host: options.pinned.get(a.name) ?? '' } : a)),
      busy: () => false,
      changed: (app, gained, token) => {
        if (gained) owned.set(app, token);
        else owned.delete(app);
      },
      forwarded: (app, request) => forwarded.push({ app, request }),
    });
    return { cluster, owned, forwarded };
  }

  it('lists every replica with its heartbeat and spreads the apps over the live ones, then rebalances', async () => {
    const url = await postgres.createDatabase('cluster_spread');
    const a = await replica(url, 'replica-a');
    const b = await replica(url, 'replica-b');
    const c = await replica(url, 'replica-c');
    const all = [a, b, c];

    const listed = await waitFor('three live replicas', async () => {
      const replicas = await a.cluster.replicas();
      return replicas.filter((r) => r.live).length === 3 && replicas;
    });
    expect(listed.map((r) => [r.id, r.version])).toEqual([
      ['replica-a', '9.9.9'],
      ['replica-b', '9.9.9'],
      ['replica-c', '9.9.9'],
    ]);
    expect(listed[0]?.address).toBe('http://127.0.0.1:7970');
    expect(Number.isNaN(Date.parse(listed[0]?.heartbeatAt ?? ''))).toBe(false);

    // Each app has exactly one owner, and every replica got some.
    await waitFor('every app owned by exactly one replica, each replica owning some', () => {
      const counts = all.map((r) => r.owned.size);
      const union = new Set(all.flatMap((r) => [...r.owned.keys()]));
      return (
        union.size === APPS.length &&
        counts.reduce((x, y) => x + y, 0) === APPS.length &&
        counts.every((n) => n > 0)
      );
    });
    const leases = await a.cluster.leases();
    expect(leases).toHaveLength(APPS.length);
    for (const lease of leases) {
      const holder = all.find((r) => r.owned.has(lease.app));
      expect(holder?.cluster.replicaId).toBe(lease.owner);
      expect(holder?.cluster.lease(lease.app)).toBe(lease.token);
    }

    // c leaves: its apps move to a and b, with a higher fencing token.
    const cApps = new Map(c.owned);
    await c.cluster.stop();
    open.splice(open.indexOf(c.cluster), 1);
    await waitFor('a and b owning every app', () => a.owned.size + b.owned.size === APPS.length);
    for (const [app, token] of cApps) {
      const now = a.owned.get(app) ?? b.owned.get(app);
      expect(now).toBeGreaterThan(token);
    }
    expect((await a.cluster.replicas()).map((r) => r.id)).toEqual(['replica-a', 'replica-b']);
  });

  it('refuses an apply (fencing) once another replica took the lease, naming the new holder', async () => {
    const url = await postgres.createDatabase('cluster_fence');
    const a = await replica(url, 'replica-a', [{ name: 'web' }]);
    const token = await waitFor('a holding web', () => a.cluster.lease('web'));
    await a.cluster.fence('web', token);

    // Another replica takes the lease over, as it would after a's lease lapsed (a paused).
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`update wheelhouse_leases set owner = 'replica-b', token = token + 1 where app = 'web'`);
    } finally {
      await db.end();
    }
    const refused = await a.cluster.fence('web', token).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isWheelhouseError(refused, 'LEASE_LOST')).toBe(true);
    expect(String((refused as Error).message)).toContain(
      `replica replica-a no longer holds the lease of app web (fencing token ${token}): replica replica-b holds it now (fencing token ${token + 1})`,
    );
    expect(a.cluster.lease('web')).toBeUndefined();
  });

  it('says the database is away when it stops answering without closing connections, and takes its leases again after', async () => {
    const url = await postgres.createDatabase('cluster_frozen');
    const said: string[] = [];
    const note = (fields: unknown, message?: string) => {
      said.push(typeof fields === 'string' ? fields : (message ?? ''));
    };
    const log: Logger = { debug: () => {}, info: note, warn: note, error: note, child: () => log };
    const a = await replica(url, 'replica-a', [{ name: 'web' }], { log });
    await waitFor('a holding web', () => a.cluster.lease('web'));
    await postgres.freeze();
    try {
      // Its open connections stay open and unanswered: only a deadline on each query ends the wait.
      await waitFor('a saying the database is away', () =>
        said.find((m) => m.startsWith('cannot reach the database at')),
      );
      await waitFor('the lease of web lapsed locally', () => a.cluster.lease('web') === undefined);
      expect(a.owned.has('web')).toBe(false);
    } finally {
      await postgres.thaw();
    }
    await waitFor('a saying the database is back', () => said.find((m) => m.includes('is reachable again')));
    await waitFor('a holding web again', () => a.cluster.lease('web'));
    expect(a.owned.has('web')).toBe(true);
  });

  it('gives an app pinned to a host only to that replica, even while it is down', async () => {
    const url = await postgres.createDatabase('cluster_pinned');
    const pinned = new Map([
      ['app-00', 'replica-b'],
      ['app-01', 'replica-gone'],
    ]);
    const a = await replica(url, 'replica-a', APPS, { pinned });
    const b = await replica(url, 'replica-b', APPS, { pinned });
    await waitFor('b owning app-00', () => b.owned.has('app-00'));
    await waitFor('18 apps spread', () => a.owned.size + b.owned.size === APPS.length - 1);
    expect(a.owned.has('app-00')).toBe(false);
    expect(a.owned.has('app-01') || b.owned.has('app-01')).toBe(false);
  });

  it('carries a request for an app owned elsewhere to its owner, in order, once', async () => {
    const url = await postgres.createDatabase('cluster_forward');
    const pinned = new Map([['web', 'replica-b']]);
    const a = await replica(url, 'replica-a', [{ name: 'web' }], { pinned });
    const b = await replica(url, 'replica-b', [{ name: 'web' }], { pinned });
    await waitFor('b holding web', () => b.cluster.lease('web'));
    await a.cluster.forward('web', { kind: 'sync', id: 'sync-1', actor: 'cli:alice', revision: 'abc123' });
    await a.cluster.forward('web', { kind: 'refresh' });
    await waitFor('both requests at b', () => b.forwarded.length === 2);
    expect(b.forwarded).toEqual([
      { app: 'web', request: { kind: 'sync', id: 'sync-1', actor: 'cli:alice', revision: 'abc123' } },
      { app: 'web', request: { kind: 'refresh' } },
    ]);
    expect(a.forwarded).toEqual([]);
  });

  it('forgets a replica silent for longer than the expiry', async () => {
    const url = await postgres.createDatabase('cluster_expire');
    const a = await replica(url, 'replica-a', []);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(
        `insert into wheelhouse_replicas values ('replica-old', '', '0.1.0', now() - interval '1 hour', now() - interval '1 hour')`,
      );
      await waitFor('the silent replica forgotten', async () =>
        (await a.cluster.replicas()).every((r) => r.id !== 'replica-old'),
      );
    } finally {
      await db.end();
    }
    expect((await a.cluster.replicas()).map((r) => r.id)).toEqual(['replica-a']);
  });
});
