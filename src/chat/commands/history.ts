import { code, message, text } from '../core/message.js';
import { argNumber, argString, type CommandDefinition } from './definition.js';
import { ago, changeSetSummary, shortSha, table } from './format.js';
import { arg } from './syntax.js';

export const history: CommandDefinition = {
  kind: 'read',
  name: 'history',
  aliases: ['hist'],
  group: 'read',
  summary: 'recent syncs of an app: revision, who, result, what changed',
  syntax: [arg('app')],
  flags: [
    {
      name: 'limit',
      type: 'int',
      min: 1,
      max: 100,
      value: 'N',
      describe: 'how many syncs to show (default 10)',
    },
  ],
  examples: ['history web', 'history web --limit 30'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const name = argString(command, 'app') ?? '';
    const records = await ctx.engine.history(name, argNumber(command, 'limit') ?? 10);
    if (records.length === 0) return message([text(`${name} has not been synced yet.`)], 'info');
    const now = ctx.now();
    const rows = [['WHEN', 'REVISION', 'RESULT', 'BY', 'CHANGES']];
    for (const r of records) {
      rows.push([
        ago(r.finishedAt ?? r.startedAt, now),
        shortSha(r.revision),
        `${r.result}${r.dryRun ? ' (dry run)' : ''}`,
        r.actor,
        changeSetSummary(r.changeSet),
      ]);
    }
    return message([text(`Last ${records.length} syncs of ${name}`), code(ctx.redact(table(rows)))], 'info');
  },
};
