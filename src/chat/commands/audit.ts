import { code, message, text } from '../core/message.js';
import { argString, type CommandDefinition } from './definition.js';
import { ago, table } from './format.js';
import { arg, optional } from './syntax.js';

export const audit: CommandDefinition = {
  kind: 'read',
  name: 'audit',
  group: 'read',
  summary: 'who did what (the append-only audit log), or verify its hash chain',
  syntax: [optional(arg('app'))],
  flags: [
    {
      name: 'verify',
      type: 'boolean',
      describe: 'walk the hash chain and name the first entry that was altered or removed',
    },
    { name: 'limit', type: 'int', min: 1, max: 100, value: 'N', describe: 'how many entries (default 15)' },
  ],
  examples: ['audit', 'audit web', 'audit --verify'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    if (command.flags.verify === true) {
      const result = await ctx.store.verifyAudit();
      if (result.ok)
        return message(
          [text(`✅ audit log intact: ${result.checked} entries verified, hash chain unbroken.`)],
          'done',
        );
      const broken = result.firstBroken;
      return message(
        [
          text(
            `❌ audit log verification failed after ${result.checked} entries${broken ? `: entry ${broken.seq} ${broken.reason}` : ''}. ` +
              'Someone altered or removed audit rows; restore the database from a backup and investigate.',
          ),
        ],
        'failed',
      );
    }
    const app = argString(command, 'app');
    const limit = typeof command.flags.limit === 'number' ? command.flags.limit : 15;
    const entries = await ctx.store.listAudit({ ...(app ? { app } : {}), limit });
    if (entries.length === 0)
      return message([text(`Nothing in the audit log${app ? ` for ${app}` : ''} yet.`)], 'info');
    const now = ctx.now();
    const rows = [['#', 'WHEN', 'WHO', 'WHAT', 'DECISION', 'RESULT']];
    for (const e of entries) {
      rows.push([
        String(e.seq),
        ago(e.at, now),
        e.actor,
        `${e.action}${e.app ? ` ${e.app}` : ''}`,
        e.decision ?? '-',
        (e.result ?? '').slice(0, 80),
      ]);
    }
    return message(
      [text(`Audit log${app ? ` for ${app}` : ''}, newest first`), code(ctx.redact(table(rows)))],
      'info',
    );
  },
};
