import { join } from 'node:path';
import { type DeliverySources, gatherDelivery, periodOf } from '../../src/access/index.js';
import { parseControlConfig } from '../../src/config/index.js';
import { type AppStatus, computeDelivery, type Store, type SyncRecord } from '../../src/core/index.js';
import { openStore } from '../../src/store/index.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round, trackPeakRss } from '../lib/stats.js';

/** The size; WHEELHOUSE_BENCH_DELIVERY_APPS makes a quicker run (say so when quoting it). */
const APPS = Number(process.env.WHEELHOUSE_BENCH_DELIVERY_APPS ?? 1_000);
/** Deployments per app per week over the year (a weekday deploy rhythm of a busy team). */
const PER_WEEK = 2;
const WEEKS = 52;
/** One deployment in this many crashes: Degraded for a few hours, then fixed by the next one. */
const FAILING_EVERY = 12;
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const TEAMS = Array.from({ length: 10 }, (_, i) => `team-${i}`);
const FIRST_TEAM = 'team-0';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const name = (i: number) => `app-${String(i).padStart(4, '0')}`;
const sha = (app: number, n: number) => `${String(app).padStart(8, '0')}${String(n).padStart(32, '0')}`;

/**
 * Issue 23: the delivery figures stay fast with a year of history for 1,000 apps. A SQLite store
 * is filled through the Store interface with a year of syncs (2 a week per app, one in 12 failing
 * into a few Degraded hours) and health changes; then the figures are computed the way
 * `GET /api/v1/metrics` does (gather from the store, compute in core) for the whole installation,
 * one environment, one team and one app, with the size of the JSON answer. The commits of each
 * app are given from memory, as the server's commit-log cache holds them once warm: Git reads are
 * not in these figures.
 */
export const deliveryMetrics: Scenario = {
  name: 'delivery-metrics',
  description: `delivery figures over a year of history for ${APPS} apps`,
  async run(context) {
    const dir = await context.tmp('delivery');
    const store = await openStore(`sqlite://${join(dir, 'wheelhouse.db')}`);
    try {
      const now = Date.now();
      context.log(`writing a year of history for ${APPS} apps ...`);
      const seeded = await seed(store, now);
      context.log(`${seeded.syncs} syncs and ${seeded.health} health changes written`);
      const sources = deliverySources(store, seeded.commits);
      const period = periodOf({ from: new Date(now - WEEKS * 7 * DAY).toISOString() }, new Date(now));
      const rows: BenchRow[] = [];
      const measure = async (label: string, scope: Parameters<typeof gatherDelivery>[1]) => {
        global.gc?.();
        const stopRss = trackPeakRss();
        const started = performance.now();
        const history = await gatherDelivery(sources, scope, period);
        const gathered = performance.now();
        const report = computeDelivery(history, period);
        const json = JSON.stringify(report);
        const done = performance.now();
        rows.push({
          metric: `GET /api/v1/metrics for a year: ${label}`,
          value: round(done - started),
          unit: 'ms',
          target: 'fast with a year for 1,000 apps',
          detail: {
            'read from the store': `${round(gathered - started)} ms`,
            'compute + JSON': `${round(done - gathered)} ms`,
            syncs: history.syncs.length,
            'answer size': `${round(json.length / 1024)} KiB`,
            'peak RSS': `${round(stopRss())} MiB`,
          },
        });
      };
      const everyone = { readable: () => true };
      await measure(`all ${APPS} apps`, everyone);
      await measure('one environment', { ...everyone, environment: 'prod' });
      await measure('one team', { ...everyone, team: FIRST_TEAM });
      await measure('one app', { ...everyone, app: name(0) });
      return rows;
    } finally {
      await store.close();
    }
  },
};

interface Seeded {
  syncs: number;
  health: number;
  commits: Map<string, { sha: string; authoredAt: string; authorName: string; subject: string }[]>;
}

async function seed(store: Store, now: number): Promise<Seeded> {
  const start = now - WEEKS * 7 * DAY;
  const deploys = WEEKS * PER_WEEK;
  const step = (WEEKS * 7 * DAY) / deploys;
  const commits: Seeded['commits'] = new Map();
  let syncs = 0;
  let health = 0;
  for (let a = 0; a < APPS; a++) {
    const app = name(a);
    const log: Seeded['commits'] extends Map<string, infer V> ? V : never = [];
    const writes: Promise<void>[] = [];
    for (let n = 0; n < deploys; n++) {
      // Spread the apps' deploys over the day so they do not all start at once.
      const at = start + n * step + ((a * 7919) % Math.floor(step / 2));
      const revision = sha(a, n);
      log.push({
        sha: revision,
        authoredAt: iso(at - 3 * HOUR),
        authorName: `dev-${a % 40}`,
        subject: `change ${n}`,
      });
      const failing = (a + n) % FAILING_EVERY === 0;
      writes.push(store.insertSync(syncRecord(app, revision, at)));
      syncs++;
      if (failing) {
        writes.push(
          store.recordHealthTransition({ app, at: iso(at + 60_000), from: 'Healthy', to: 'Degraded' }),
        );
        writes.push(
          store.recordHealthTransition({
            app,
            at: iso(at + (2 + (n % 5)) * HOUR),
            from: 'Degraded',
            to: 'Healthy',
          }),
        );
        health += 2;
      }
    }
    await Promise.all(writes);
    commits.set(app, log.reverse());
  }
  return { syncs, health, commits };
}

function syncRecord(app: string, revision: string, at: number): SyncRecord {
  return {
    id: `sync-${app}-${revision.slice(-6)}`,
    app,
    revision,
    digest: `tree-${revision}`,
    actor: 'git',
    trigger: 'auto',
    dryRun: false,
    startedAt: iso(at),
    finishedAt: iso(at + 20_000),
    result: 'succeeded',
    changeSet: [],
    messages: [],
  };
}

function deliverySources(store: Store, commits: Seeded['commits']): DeliverySources {
  const yaml = `apps:\n${Array.from(
    { length: APPS },
    (_, i) =>
      `  - { name: ${name(i)}, path: apps/${name(i)}, environment: ${ENVIRONMENTS[i % ENVIRONMENTS.length]}, team: ${TEAMS[i % TEAMS.length]} }\n`,
  ).join('')}`;
  const parsed = parseControlConfig({
    text: yaml,
    file: 'wheelhouse.yaml',
    controlRepo: { url: 'https://git.example.com/bench/control.git', ref: 'main' },
    drivers: ['process'],
  });
  const config = parsed.config;
  if (!config)
    throw new Error(`the bench's wheelhouse.yaml does not parse: ${JSON.stringify(parsed.issues[0])}`);
  const statuses = config.apps.map((spec): AppStatus => {
    const log = commits.get(spec.name) ?? [];
    return {
      name: spec.name,
      environment: spec.environment,
      target: 'local',
      source: { repo: 'https://git.example.com/bench/control.git', ref: 'main', path: spec.path },
      syncStatus: 'Synced',
      health: { status: 'Healthy' },
      ...(log[0] ? { revision: log[0].sha } : {}),
      autoSync: true,
      selfHeal: true,
      resources: [],
    };
  });
  return {
    engine: { apps: () => statuses },
    store,
    config: () => config,
    commits: {
      forApp: async (app, limit) => (commits.get(app) ?? []).slice(0, limit),
      changeAt: async (_app, revision) => revision,
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
