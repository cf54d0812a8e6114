import { distinctApprovers } from '../../access/index.js';
import { buttons, code, message, text } from '../core/message.js';
import type { CommandDefinition } from './definition.js';
import { table, until } from './format.js';

export const approvals: CommandDefinition = {
  kind: 'read',
  name: 'approvals',
  group: 'read',
  summary: 'requests waiting for approval',
  syntax: [],
  async answer(ctx) {
    await ctx.actions.expireDue();
    const pending = await ctx.store.listApprovals({ status: 'pending' });
    if (pending.length === 0) return message([text('Nothing waits for approval.')], 'info');
    const now = ctx.now();
    const rows = [['ID', 'APP', 'REQUEST', 'BY', 'APPROVALS', 'EXPIRES']];
    for (const a of pending) {
      const got = distinctApprovers(a, ctx.config.people).length;
      rows.push([
        a.id,
        `${a.app} (${a.environment})`,
        a.text,
        a.requester,
        `${got}/${a.required}`,
        until(a.expiresAt, now),
      ]);
    }
    const blocks = [
      text(`${pending.length} request${pending.length === 1 ? '' : 's'} waiting`),
      code(ctx.redact(table(rows))),
    ];
    if (pending.length <= 5) {
      for (const a of pending) {
        blocks.push(
          buttons(
            { action: 'approval.approve', label: `Approve ${a.id}`, value: a.id, style: 'primary' },
            { action: 'approval.deny', label: `Deny ${a.id}`, value: a.id, style: 'danger' },
          ),
        );
      }
    }
    return message(blocks, 'info');
  },
};
