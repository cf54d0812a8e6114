import type { WebSession } from '../core/index.js';
import type { StoreContext } from './context.js';
import { conflict, guard } from './errors.js';
import type { WebSessionRow } from './schema.js';
import { requireText, toTime } from './values.js';

/** Dashboard sessions, kept as hashes only (the session id and the token never reach the database). */
export async function insertSession(ctx: StoreContext, session: WebSession): Promise<void> {
  const row: WebSessionRow = {
    id_hash: requireText(session.idHash, 'session.idHash'),
    user_name: requireText(session.user, 'session.user'),
    token_hash: requireText(session.tokenHash, 'session.tokenHash'),
    created_at: toTime(session.createdAt, 'session.createdAt'),
    expires_at: toTime(session.expiresAt, 'session.expiresAt'),
  };
  await guard(
    ctx.dialect.location,
    `record a session of ${session.user}`,
    { user: session.user },
    async () => {
      const result = await ctx.db
        .insertInto('web_sessions')
        .values(row)
        .onConflict((oc) => oc.column('id_hash').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw conflict('a session with this id exists already; generate a new session id', {});
      }
    },
  );
}

export async function getSession(ctx: StoreContext, idHash: string): Promise<WebSession | undefined> {
  return guard(ctx.dialect.location, 'look up a session', {}, async () => {
    const row = await ctx.db
      .selectFrom('web_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  });
}

export async function deleteSession(ctx: StoreContext, idHash: string): Promise<boolean> {
  return guard(ctx.dialect.location, 'delete a session', {}, async () => {
    const result = await ctx.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

export async function deleteExpiredSessions(ctx: StoreContext, now: string): Promise<number> {
  const at = toTime(now, 'now');
  return guard(ctx.dialect.location, 'delete expired sessions', {}, async () => {
    const result = await ctx.db.deleteFrom('web_sessions').where('expires_at', '<=', at).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

function fromRow(row: WebSessionRow): WebSession {
  return {
    idHash: row.id_hash,
    user: row.user_name,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
