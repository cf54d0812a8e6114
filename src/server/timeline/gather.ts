import type { AuditEntry, SyncRecord } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { auditItem, commitItem, newestFirst, syncItem, type TimelineItem } from './items.js';
import { type PersonFilter, personFilter } from './person-filter.js';

export interface TimelineQuery {
  app?: string;
  /** An actor id, a person's name or email, or a token user's name. */
  person?: string;
  limit: number;
  /** What the caller may read (`Reader.may`): items about other apps are left out. */
  readable?: (app?: string) => boolean;
}

/**
 * The timeline: the audit log (commands, approvals, refusals, webhooks, sign-ins), sync history
 * and commits, merged newest first. Sync history is read app by app, newest app first, and the
 * walk stops once no remaining app can have a sync newer than the oldest one kept.
 */
export async function gatherTimeline(ctx: ServerContext, query: TimelineQuery): Promise<TimelineItem[]> {
  const people = ctx.config()?.people ?? [];
  const person = query.person ? personFilter(query.person, people) : undefined;
  const [audit, syncs, commits] = await Promise.all([
    auditEntries(ctx, query, person),
    syncRecords(ctx, query, person),
    commitItems(ctx, query, person),
  ]);
  const may = query.readable ?? (() => true);
  const items = [
    ...audit.filter((entry) => may(entry.app)).map(auditItem),
    ...syncs.map(syncItem),
    ...readableCommits(commits, may),
  ];
  return newestFirst(items).slice(0, query.limit);
}

async function auditEntries(
  ctx: ServerContext,
  query: TimelineQuery,
  person: PersonFilter | undefined,
): Promise<AuditEntry[]> {
  const base = { limit: query.limit, ...(query.app ? { app: query.app } : {}) };
  if (!person) return ctx.store.listAudit(base);
  const lists = await Promise.all([...person.ids].map((actor) => ctx.store.listAudit({ ...base, actor })));
  return lists.flat();
}

async function syncRecords(
  ctx: ServerContext,
  query: TimelineQuery,
  person: PersonFilter | undefined,
): Promise<SyncRecord[]> {
  const apps = ctx.engine
    .apps()
    .filter((a) => (query.app ? a.name === query.app : true))
    .filter((a) => query.readable?.(a.name) ?? true)
    .filter((a) => a.lastSync)
    .sort((a, b) => (b.lastSync?.startedAt ?? '').localeCompare(a.lastSync?.startedAt ?? ''));
  const kept: SyncRecord[] = [];
  let oldestKept = '';
  for (const app of apps) {
    const newest = app.lastSync?.startedAt ?? '';
    if (kept.length >= query.limit && newest < oldestKept) break;
    const records = await ctx.store.listSyncs(app.name, { limit: query.limit });
    for (const record of records) if (!person || person.matchesActor(record.actor)) kept.push(record);
    kept.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    kept.length = Math.min(kept.length, query.limit);
    oldestKept = kept.at(-1)?.startedAt ?? '';
  }
  return kept;
}

async function commitItems(
  ctx: ServerContext,
  query: TimelineQuery,
  person: PersonFilter | undefined,
): Promise<TimelineItem[]> {
  if (!ctx.commits) return [];
  const commits = query.app
    ? await ctx.commits.forApp(query.app, query.limit).catch(() => [])
    : await ctx.commits.recent(query.limit);
  return commits.filter((c) => !person || person.matchesCommit(c)).map(commitItem);
}

/** Commits that touch an app the caller may read, naming only those apps. */
function readableCommits(items: TimelineItem[], may: (app?: string) => boolean): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const item of items) {
    if (item.kind !== 'commit') continue;
    const apps = item.apps.filter((app) => may(app));
    if (apps.length > 0 || (item.apps.length === 0 && may())) out.push({ ...item, apps });
  }
  return out;
}
