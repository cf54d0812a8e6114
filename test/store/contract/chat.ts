import { describe, expect, it } from 'vitest';
import type { StoredChatMessage } from '../../../src/core/index.js';
import { minute, rejection, type StoreHarness, useStores } from './harness.js';

function message(id: string, n: number, overrides: Partial<StoredChatMessage> = {}): StoredChatMessage {
  return {
    id,
    room: 'ops',
    author: 'web:alice',
    bot: false,
    text: `message ${id}`,
    createdAt: minute(n),
    updatedAt: minute(n),
    ...overrides,
  };
}

export function chatContract(h: StoreHarness): void {
  describe('built-in chat', () => {
    const open = useStores();

    it('keeps messages in posting order and pages back with before and forward with afterId', async () => {
      const store = await open(await h.freshUrl('chat_pages'));
      for (let i = 1; i <= 10; i += 1) await store.insertChatMessage(message(`m${i}`, i));
      await store.insertChatMessage(message('d1', 0, { room: 'dev' }));
      const ids = (list: StoredChatMessage[]) => list.map((m) => m.id);

      expect(ids(await store.listChatMessages('ops'))).toEqual(
        Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
      );
      expect(ids(await store.listChatMessages('ops', { limit: 3 }))).toEqual(['m8', 'm9', 'm10']);
      expect(ids(await store.listChatMessages('ops', { limit: 3, before: 'm8' }))).toEqual([
        'm5',
        'm6',
        'm7',
      ]);
      expect(ids(await store.listChatMessages('ops', { limit: 3, before: 'm2' }))).toEqual(['m1']);
      expect(ids(await store.listChatMessages('ops', { afterId: 'm3', limit: 2 }))).toEqual(['m4', 'm5']);
      expect(ids(await store.listChatMessages('ops', { afterId: 'm10' }))).toEqual([]);
      expect(ids(await store.listChatMessages('dev'))).toEqual(['d1']);
      expect(await store.listChatMessages('empty')).toEqual([]);
      expect(await store.listChatRooms()).toEqual(['dev', 'ops']);

      const foreign = await rejection(store.listChatMessages('ops', { afterId: 'd1' }));
      expect(foreign.code).toBe('NOT_FOUND');
      expect(foreign.message).toContain('afterId');
      await expect(store.listChatMessages('ops', { before: 'nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store.listChatMessages('ops', { limit: 0 })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    });

    it('filters a thread (its first message and the replies) and round-trips bot messages with a body', async () => {
      const store = await open(await h.freshUrl('chat_thread'));
      const body = {
        blocks: [{ type: 'fields', fields: [{ label: 'app', value: 'web' }] }],
        buttons: ['approve'],
      };
      await store.insertChatMessage(message('root', 1, { text: 'sync web' }));
      await store.insertChatMessage(message('other', 2));
      await store.insertChatMessage(
        message('reply1', 3, { thread: 'root', author: 'wheelhouse', bot: true, text: 'syncing…', body }),
      );
      await store.insertChatMessage(message('reply2', 4, { thread: 'root' }));
      await store.insertChatMessage(message('elsewhere', 5, { thread: 'other' }));

      const thread = await store.listChatMessages('ops', { thread: 'root' });
      expect(thread.map((m) => m.id)).toEqual(['root', 'reply1', 'reply2']);
      expect(thread[1]).toEqual(
        message('reply1', 3, { thread: 'root', author: 'wheelhouse', bot: true, text: 'syncing…', body }),
      );
      expect(thread[0] && 'thread' in thread[0]).toBe(false);
      expect(
        (await store.listChatMessages('ops', { thread: 'root', afterId: 'reply1' })).map((m) => m.id),
      ).toEqual(['reply2']);
    });

    it('updates text and body in place (order kept), refuses unknown and duplicate ids', async () => {
      const store = await open(await h.freshUrl('chat_update'));
      await store.insertChatMessage(message('a', 1, { bot: true, body: { progress: 0 } }));
      await store.insertChatMessage(message('b', 2));
      await store.updateChatMessage('a', { text: 'done', body: { progress: 100 }, updatedAt: minute(9) });
      const updated = await store.getChatMessage('a');
      expect(updated).toMatchObject({
        text: 'done',
        body: { progress: 100 },
        updatedAt: minute(9),
        createdAt: minute(1),
      });
      await store.updateChatMessage('a', { text: 'plain', updatedAt: minute(10) });
      expect(await store.getChatMessage('a')).not.toHaveProperty('body');
      expect((await store.listChatMessages('ops')).map((m) => m.id)).toEqual(['a', 'b']);
      expect(await store.getChatMessage('zzz')).toBeUndefined();
      await expect(store.updateChatMessage('zzz', { text: 'x', updatedAt: minute(1) })).rejects.toMatchObject(
        {
          code: 'NOT_FOUND',
        },
      );
      await expect(store.insertChatMessage(message('a', 3))).rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });
}
