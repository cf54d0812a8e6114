import type { Selectable } from 'kysely';
import type { Health, Page, SyncRecord, SyncResult, SyncTrigger } from '../core/index.js';
import { boundSyncRecord, byteLength, HISTORY_PAGE_BYTES } from './bounded-history.js';
import type { StoreContext } from './context.js';
import { conflict, guard, notFound } from './errors.js';
import type { SyncRow } from './schema.js';
import { fromJson, pageLimit, requireText, toJson, toTime } from './values.js';

type SyncValues = Omit<SyncRow, 'pos'>;

export async function insertSync(ctx: StoreContext, record: SyncRecord): Promise<void> {
  const values = toRow(record);
  await guard(ctx.dialect.location, `record sync ${record.id}`, { app: record.app }, async () => {
    const result = await ctx.db
      .insertInto('syncs')
      .values(values)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw conflict(
        `sync ${record.id} of app ${record.app} is already recorded; use updateSync to change it`,
        {
          app: record.app,
          syncId: record.id,
        },
      );
    }
  });
}

export async function updateSync(ctx: StoreContext, record: SyncRecord): Promise<void> {
  const { id, ...values } = toRow(record);
  await guard(ctx.dialect.location, `update sync ${id}`, { app: record.app }, async () => {
    const result = await ctx.db.updateTable('syncs').set(values).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw notFound(`sync ${id} of app ${record.app}`, { app: record.app, syncId: id }, 'insert it first');
    }
  });
}

export async function getSync(ctx: StoreContext, id: string): Promise<SyncRecord | undefined> {
  return guard(ctx.dialect.location, `read sync ${id}`, {}, async () => {
    const row = await ctx.db.selectFrom('syncs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(ctx, row) : undefined;
  });
}

/**
 * One statement reading one column, where `listSyncs` plus a filter read every column of the
 * recent syncs (change sets and messages included) before each sync.
 */
export async function listSyncFacts(
  ctx: StoreContext,
  app: string,
  digest: string,
  recent: number,
): Promise<Record<string, unknown>[]> {
  return guard(ctx.dialect.location, `read the recorded facts of app ${app}`, { app }, async () => {
    const newest = ctx.db
      .selectFrom('syncs')
      .select('pos')
      .where('app', '=', app)
      .orderBy('started_at', 'desc')
      .orderBy('pos', 'desc')
      .limit(recent);
    const rows = await ctx.db
      .selectFrom('syncs')
      .select(['id', 'facts'])
      .where('pos', 'in', newest)
      .where('digest', '=', digest)
      .where('result', '=', 'succeeded')
      .where('dry_run', '=', 0)
      .where('facts', 'is not', null)
      .orderBy('started_at', 'desc')
      .orderBy('pos', 'desc')
      .execute();
    return rows.flatMap((row) =>
      row.facts === null
        ? []
        : [
            fromJson<Record<string, unknown>>(row.facts, {
              location: ctx.dialect.location,
              table: 'syncs',
              column: 'facts',
              key: row.id,
            }),
          ],
    );
  });
}

/** Newest first; `before` is a sync id of this app (the page continues after it). */
export async function listSyncs(ctx: StoreContext, app: string, page: Page = {}): Promise<SyncRecord[]> {
  const limit = pageLimit(page.limit);
  return guard(ctx.dialect.location, `list the sync history of app ${app}`, { app }, async () => {
    let query = ctx.db.selectFrom('syncs').selectAll().where('app', '=', app);
    if (page.before !== undefined) {
      const cursorId = String(page.before);
      const cursor = await ctx.db
        .selectFrom('syncs')
        .select(['started_at', 'pos'])
        .where('id', '=', cursorId)
        .where('app', '=', app)
        .executeTakeFirst();
      if (!cursor) {
        throw notFound(
          `sync ${cursorId} of app ${app} (the page cursor)`,
          { app, syncId: cursorId },
          'start again without `before`',
        );
      }
      query = query.where((eb) =>
        eb.or([
          eb('started_at', '<', cursor.started_at),
          eb.and([eb('started_at', '=', cursor.started_at), eb('pos', '<', cursor.pos)]),
        ]),
      );
    }
    // Ids and stored sizes first, then the rows in batches of bounded stored size: rows written
    // before history was bounded may each hold megabytes. A page stops once it is
    // HISTORY_PAGE_BYTES big (the next page continues from its last id).
    const heads = await query
      .clearSelect()
      .select((eb) => [
        'id',
        eb(eb.fn('length', ['change_set']), '+', eb.fn('length', ['messages'])).as('size'),
      ])
      .orderBy('started_at', 'desc')
      .orderBy('pos', 'desc')
      .limit(limit)
      .execute();
    const records: SyncRecord[] = [];
    let bytes = 0;
    for (const batch of batchesOf(heads)) {
      const rows = await ctx.db.selectFrom('syncs').selectAll().where('id', 'in', batch).execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const id of batch) {
        const row = byId.get(id);
        if (!row) continue;
        const record = fromRow(ctx, row);
        bytes += byteLength(record);
        if (records.length > 0 && bytes > HISTORY_PAGE_BYTES) return records;
        records.push(record);
      }
    }
    return records;
  });
}

/** Stored bytes read per batch of history rows (a batch holds at least one row). */
const BATCH_STORED_BYTES = 4 * 1024 * 1024;
const BATCH_ROWS = 100;

function batchesOf(heads: { id: string; size: unknown }[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const head of heads) {
    const rowSize = Number(head.size) || 0;
    if (current.length > 0 && (size + rowSize > BATCH_STORED_BYTES || current.length >= BATCH_ROWS)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(head.id);
    size += rowSize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Oldest first. */
export async function listRunningSyncs(ctx: StoreContext): Promise<SyncRecord[]> {
  return guard(ctx.dialect.location, 'list running syncs', {}, async () => {
    const rows = await ctx.db
      .selectFrom('syncs')
      .selectAll()
      .where('result', '=', 'running')
      .orderBy('started_at')
      .orderBy('pos')
      .execute();
    return rows.map((row) => fromRow(ctx, row));
  });
}

function toRow(input: SyncRecord): SyncValues {
  const record = boundSyncRecord(input);
  return {
    id: requireText(record.id, 'sync.id'),
    app: requireText(record.app, 'sync.app'),
    revision: record.revision,
    digest: record.digest,
    actor: record.actor,
    sync_trigger: record.trigger,
    dry_run: record.dryRun ? 1 : 0,
    started_at: toTime(record.startedAt, 'sync.startedAt'),
    finished_at: record.finishedAt === undefined ? null : toTime(record.finishedAt, 'sync.finishedAt'),
    result: record.result,
    change_set: toJson(record.changeSet ?? []),
    messages: toJson(record.messages ?? []),
    health: record.health === undefined ? null : toJson(record.health),
    facts: record.facts === undefined ? null : toJson(record.facts),
  };
}

function fromRow(ctx: StoreContext, row: Selectable<SyncRow>): SyncRecord {
  const where = (column: string) => ({ location: ctx.dialect.location, table: 'syncs', column, key: row.id });
  const record: SyncRecord = {
    id: row.id,
    app: row.app,
    revision: row.revision,
    digest: row.digest,
    actor: row.actor,
    trigger: row.sync_trigger as SyncTrigger,
    dryRun: Number(row.dry_run) === 1,
    startedAt: row.started_at,
    result: row.result as SyncResult,
    changeSet: fromJson(row.change_set, where('change_set')),
    messages: fromJson(row.messages, where('messages')),
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.health !== null) record.health = fromJson<Health>(row.health, where('health'));
  if (row.facts !== null) record.facts = fromJson(row.facts, where('facts'));
  return boundSyncRecord(record);
}
