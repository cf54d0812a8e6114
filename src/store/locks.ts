import type { Lock } from '../core/index.js';
import type { StoreContext } from './context.js';
import { guard } from './errors.js';
import type { LockRow } from './schema.js';
import { requireText, toTime } from './values.js';

export async function getLock(ctx: StoreContext, app: string): Promise<Lock | undefined> {
  return guard(ctx.dialect.location, `read the lock of app ${app}`, { app }, async () => {
    const row = await ctx.db.selectFrom('locks').selectAll().where('app', '=', app).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  });
}

/** By app name. */
export async function listLocks(ctx: StoreContext): Promise<Lock[]> {
  return guard(ctx.dialect.location, 'list locks', {}, async () => {
    const rows = await ctx.db.selectFrom('locks').selectAll().orderBy('app').execute();
    return rows.map(fromRow);
  });
}

/**
 * One atomic insert that does nothing when the app is locked already (the app is the primary
 * key), so of two people locking at once exactly one gets it. When the holder asks again the
 * lock stays as it is and counts as acquired; anyone else gets the existing lock back.
 */
export async function acquireLock(ctx: StoreContext, lock: Lock): Promise<{ acquired: boolean; lock: Lock }> {
  const row: LockRow = {
    app: requireText(lock.app, 'lock.app'),
    holder: requireText(lock.holder, 'lock.holder'),
    reason: lock.reason ?? '',
    created_at: toTime(lock.createdAt, 'lock.createdAt'),
  };
  return guard(ctx.dialect.location, `lock app ${lock.app}`, { app: lock.app }, async () => {
    // A lock released between our insert and our read is retried; a few rounds always settle.
    for (let round = 0; round < 5; round += 1) {
      const result = await ctx.db
        .insertInto('locks')
        .values(row)
        .onConflict((oc) => oc.column('app').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return { acquired: true, lock: fromRow(row) };
      const held = await ctx.db.selectFrom('locks').selectAll().where('app', '=', row.app).executeTakeFirst();
      if (held) return { acquired: held.holder === row.holder, lock: fromRow(held) };
    }
    throw new Error(`the lock of app ${row.app} kept changing hands while being taken; try again`);
  });
}

export async function releaseLock(ctx: StoreContext, app: string): Promise<boolean> {
  return guard(ctx.dialect.location, `unlock app ${app}`, { app }, async () => {
    const result = await ctx.db.deleteFrom('locks').where('app', '=', app).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

function fromRow(row: LockRow): Lock {
  return { app: row.app, holder: row.holder, reason: row.reason, createdAt: row.created_at };
}
