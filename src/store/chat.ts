import type { Selectable } from 'kysely';
import type { Page, StoredChatMessage } from '../core/index.js';
import type { StoreContext } from './context.js';
import { conflict, guard, notFound } from './errors.js';
import type { ChatMessageRow } from './schema.js';
import { fromJson, pageLimit, requireText, toJson, toTime } from './values.js';

export type ChatFilter = { thread?: string; afterId?: string } & Page;

export async function insertChatMessage(ctx: StoreContext, message: StoredChatMessage): Promise<void> {
  const row = {
    id: requireText(message.id, 'message.id'),
    room: requireText(message.room, 'message.room'),
    thread: message.thread ?? null,
    author: requireText(message.author, 'message.author'),
    bot: message.bot ? 1 : 0,
    text: message.text,
    body: message.body === undefined ? null : toJson(message.body),
    created_at: toTime(message.createdAt, 'message.createdAt'),
    updated_at: toTime(message.updatedAt, 'message.updatedAt'),
  };
  await guard(ctx.dialect.location, `store chat message ${row.id} in room ${row.room}`, {}, async () => {
    const result = await ctx.db
      .insertInto('chat_messages')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw conflict(`chat message ${row.id} already exists; give each message a new id`, {
        room: row.room,
        messageId: row.id,
      });
    }
  });
}

/** Replaces text and body (an absent body clears it); room, thread, author and order stay. */
export async function updateChatMessage(
  ctx: StoreContext,
  id: string,
  patch: Pick<StoredChatMessage, 'text' | 'body' | 'updatedAt'>,
): Promise<void> {
  const values = {
    text: patch.text,
    body: patch.body === undefined ? null : toJson(patch.body),
    updated_at: toTime(patch.updatedAt, 'message.updatedAt'),
  };
  await guard(ctx.dialect.location, `update chat message ${id}`, {}, async () => {
    const result = await ctx.db
      .updateTable('chat_messages')
      .set(values)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw notFound(`chat message ${id}`, { messageId: id }, 'insert it before updating it');
    }
  });
}

export async function getChatMessage(ctx: StoreContext, id: string): Promise<StoredChatMessage | undefined> {
  return guard(ctx.dialect.location, `read chat message ${id}`, {}, async () => {
    const row = await ctx.db.selectFrom('chat_messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(ctx, row) : undefined;
  });
}

/**
 * Messages of a room in the order they were posted (oldest first). With `thread`: the thread's
 * first message and its replies. With `afterId`: the first `limit` messages after that one (to
 * poll for new messages). Otherwise the newest `limit` messages, or those just before the message
 * id `before` (to scroll back). Cursors must be messages of the same room.
 */
export async function listChatMessages(
  ctx: StoreContext,
  room: string,
  filter: ChatFilter = {},
): Promise<StoredChatMessage[]> {
  const limit = pageLimit(filter.limit);
  return guard(ctx.dialect.location, `list chat messages of room ${room}`, { room }, async () => {
    const position = async (id: string, name: string) => {
      const row = await ctx.db
        .selectFrom('chat_messages')
        .select('pos')
        .where('id', '=', id)
        .where('room', '=', room)
        .executeTakeFirst();
      if (!row) {
        throw notFound(
          `chat message ${id} in room ${room} (the \`${name}\` cursor)`,
          { room, messageId: id },
          `start again without \`${name}\``,
        );
      }
      return row.pos;
    };
    let query = ctx.db.selectFrom('chat_messages').selectAll().where('room', '=', room);
    const thread = filter.thread;
    if (thread !== undefined) {
      query = query.where((eb) => eb.or([eb('thread', '=', thread), eb('id', '=', thread)]));
    }
    if (filter.before !== undefined)
      query = query.where('pos', '<', await position(String(filter.before), 'before'));
    if (filter.afterId !== undefined) {
      const after = await position(filter.afterId, 'afterId');
      const rows = await query.where('pos', '>', after).orderBy('pos').limit(limit).execute();
      return rows.map((row) => fromRow(ctx, row));
    }
    const rows = await query.orderBy('pos', 'desc').limit(limit).execute();
    return rows.reverse().map((row) => fromRow(ctx, row));
  });
}

/** Every room that holds a message, by name. */
export async function listChatRooms(ctx: StoreContext): Promise<string[]> {
  return guard(ctx.dialect.location, 'list chat rooms', {}, async () => {
    const rows = await ctx.db.selectFrom('chat_messages').select('room').distinct().orderBy('room').execute();
    return rows.map((row) => row.room);
  });
}

function fromRow(ctx: StoreContext, row: Selectable<ChatMessageRow>): StoredChatMessage {
  const message: StoredChatMessage = {
    id: row.id,
    room: row.room,
    author: row.author,
    bot: Number(row.bot) === 1,
    text: row.text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.thread !== null) message.thread = row.thread;
  if (row.body !== null) {
    message.body = fromJson(row.body, {
      location: ctx.dialect.location,
      table: 'chat_messages',
      column: 'body',
      key: row.id,
    });
  }
  return message;
}
