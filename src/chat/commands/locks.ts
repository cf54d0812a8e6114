import { displayName, resolveIdentity } from '../../access/index.js';
import { code, message, text } from '../core/message.js';
import type { CommandDefinition } from './definition.js';
import { ago, table } from './format.js';

export const locks: CommandDefinition = {
  kind: 'read',
  name: 'locks',
  group: 'read',
  summary: 'which apps are locked, by whom and why',
  syntax: [],
  async answer(ctx) {
    const list = await ctx.store.listLocks();
    if (list.length === 0) return message([text('No app is locked.')], 'info');
    const now = ctx.now();
    const rows = [['APP', 'HOLDER', 'SINCE', 'REASON']];
    for (const lock of list) {
      rows.push([
        lock.app,
        displayName(resolveIdentity(lock.holder, ctx.config.people)),
        ago(lock.createdAt, now),
        lock.reason,
      ]);
    }
    return message(
      [text(`${list.length} locked app${list.length === 1 ? '' : 's'}`), code(ctx.redact(table(rows)))],
      'info',
    );
  },
};
