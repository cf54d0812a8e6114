import type {
  AppStatus,
  AuditEntry,
  ControlConfig,
  DeliveryApp,
  DeliveryCommit,
  DeliveryHistory,
  DeliverySync,
  Engine,
  HealthTransition,
  RollbackMark,
  Store,
  SyncRecord,
} from '../../core/index.js';
import type { Period } from './period.js';

/** Commits of an app's path, as a commit log (cached, server) or the source (chat) reads them. */
export interface DeliveryCommits {
  /** Newest first, up to the revision Git declares now. */
  forApp(
    app: string,
    limit: number,
  ): Promise<{ sha: string; authoredAt: string; authorName: string; subject: string }[]>;
  /** The newest commit at `revision` that changed the app's path. */
  changeAt(app: string, revision: string): Promise<string | undefined>;
}

/** Where the history comes from. */
export interface DeliverySources {
  engine: Pick<Engine, 'apps'>;
  store: Pick<Store, 'listSyncs' | 'listAudit' | 'listHealthTransitions'>;
  config(): ControlConfig | undefined;
  commits?: DeliveryCommits;
}

/** Which apps: by name, environment or team, and only those the caller may read. */
export interface DeliveryScope {
  app?: string;
  environment?: string;
  team?: string;
  readable: (app: string) => boolean;
}

/** Everything read for a period, also what the Metrics page's timelines show. */
export interface GatheredHistory extends DeliveryHistory {
  /** Commands people ran on the apps (chat, dashboard, CLI): the timeline's markers. */
  actions: AuditEntry[];
}

const PAGE = 500;
/** Most syncs read per app for one request (a year of hourly changes). */
const MAX_SYNCS = 10_000;
/** Most commits per app read for lead times. */
const MAX_COMMITS = 1000;
/** How far before `from` health is read, so an incident that started earlier still has its start. */
const HEALTH_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Reads what the delivery figures need for a period from the store and Git: sync history from
 * a little before `from` (the last successful sync before it is the lead-time baseline), commits
 * that changed each app's path, health changes, and rollbacks and other commands from the audit
 * log. Apps are read one after another, so a year for many apps does not flood the database.
 */
export async function gatherDelivery(
  ctx: DeliverySources,
  scope: DeliveryScope,
  period: Period,
): Promise<GatheredHistory> {
  const team = teamsOf(ctx);
  const apps = ctx.engine
    .apps()
    .filter((a) => (scope.app ? a.name === scope.app : true))
    .filter((a) => (scope.environment ? a.environment === scope.environment : true))
    .filter((a) => (scope.team ? team(a) === scope.team : true))
    .filter((a) => scope.readable(a.name));
  const horizon = Date.parse(period.from) - period.failureWindowMs;
  const history: GatheredHistory = {
    apps: [],
    syncs: [],
    commits: {},
    health: [],
    rollbacks: [],
    actions: [],
  };
  const wanted = new Set(apps.map((a) => a.name));
  // One app: read only its changes (the index on app); several: one read for all of them.
  const health = await ctx.store.listHealthTransitions({
    ...(apps.length === 1 && apps[0] ? { app: apps[0].name } : {}),
    from: new Date(horizon - HEALTH_LOOKBACK_MS).toISOString(),
    to: period.to,
  });
  history.health = health.filter((h: HealthTransition) => wanted.has(h.app));
  for (const app of apps) {
    const deliveryApp: DeliveryApp = { name: app.name, environment: app.environment };
    const owner = team(app);
    if (owner) deliveryApp.team = owner;
    history.apps.push(deliveryApp);
    const records = await syncsOf(ctx, app.name, horizon, period.to);
    const commits = await commitsOf(ctx, app.name);
    history.commits[app.name] = commits;
    history.syncs.push(...(await withChanges(ctx, app.name, records, commits)));
    const audit = await auditOf(ctx, app.name, horizon, period.to);
    history.rollbacks.push(...audit.filter(isRollback).map(rollbackMark));
    history.actions.push(...audit.filter(isAction));
  }
  return history;
}

/** An app's team: `team:` of its entry in wheelhouse.yaml. */
function teamsOf(ctx: DeliverySources): (app: AppStatus) => string | undefined {
  const specs = new Map((ctx.config()?.apps ?? []).map((spec) => [spec.name, spec]));
  return (app) => {
    return specs.get(app.name)?.team;
  };
}

/** Newest first until past the horizon and one successful sync before it (the baseline). */
async function syncsOf(
  ctx: DeliverySources,
  app: string,
  horizon: number,
  to: string,
): Promise<SyncRecord[]> {
  const out: SyncRecord[] = [];
  let before: string | undefined;
  while (out.length < MAX_SYNCS) {
    const page = await ctx.store.listSyncs(app, { limit: PAGE, ...(before ? { before } : {}) });
    for (const record of page) if (record.startedAt < to) out.push(record);
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    const pastHorizon = Date.parse(last.startedAt) < horizon;
    if (pastHorizon && out.some((r) => r.result === 'succeeded' && Date.parse(r.startedAt) < horizon)) break;
    before = last.id;
  }
  return out;
}

async function commitsOf(ctx: DeliverySources, app: string): Promise<DeliveryCommit[]> {
  const commits = await ctx.commits?.forApp(app, MAX_COMMITS).catch(() => []);
  return (commits ?? [])
    .map((c) => ({ sha: c.sha, at: c.authoredAt, author: c.authorName, subject: c.subject }))
    .reverse();
}

/** Each sync with the newest commit of the app's path it applied (one lookup per revision). */
async function withChanges(
  ctx: DeliverySources,
  app: string,
  records: readonly SyncRecord[],
  commits: readonly DeliveryCommit[],
): Promise<DeliverySync[]> {
  const known = new Set(commits.map((c) => c.sha));
  const changes = new Map<string, string | undefined>();
  const out: DeliverySync[] = [];
  for (const r of records) {
    let change: string | undefined;
    if (!r.dryRun) {
      if (known.has(r.revision)) change = r.revision;
      else if (changes.has(r.revision)) change = changes.get(r.revision);
      else {
        change = await ctx.commits?.changeAt(app, r.revision);
        changes.set(r.revision, change);
      }
    }
    out.push({
      id: r.id,
      app,
      revision: r.revision,
      digest: r.digest,
      ...(change ? { change } : {}),
      actor: r.actor,
      trigger: r.trigger,
      dryRun: r.dryRun,
      result: r.result,
      startedAt: r.startedAt,
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    });
  }
  return out;
}

async function auditOf(
  ctx: DeliverySources,
  app: string,
  horizon: number,
  to: string,
): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await ctx.store.listAudit({ app, limit: PAGE, ...(before !== undefined ? { before } : {}) });
    for (const entry of page) if (entry.at < to && Date.parse(entry.at) >= horizon) out.push(entry);
    const oldest = page[0];
    if (!oldest || page.length < PAGE || Date.parse(oldest.at) < horizon) break;
    before = oldest.seq;
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** The entry written before a rollback runs (its intent): the moment it was asked for. */
function isRollback(entry: AuditEntry): boolean {
  return entry.action === 'command.rollback' && entry.details?.phase === 'intent';
}

function rollbackMark(entry: AuditEntry): RollbackMark {
  return { app: entry.app ?? '', at: entry.at, actor: entry.actor };
}

/** A command that ran (its outcome), for the timeline's markers. */
function isAction(entry: AuditEntry): boolean {
  return (
    entry.action.startsWith('command.') && entry.decision === 'allowed' && entry.details?.phase !== 'intent'
  );
}
