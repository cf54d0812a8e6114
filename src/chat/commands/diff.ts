import { code, message, text } from '../core/message.js';
import { argString, type CommandDefinition } from './definition.js';
import { changeSetSummary, shortSha } from './format.js';
import { arg } from './syntax.js';

export const diff: CommandDefinition = {
  kind: 'read',
  name: 'diff',
  group: 'read',
  summary: 'what a sync would change: Git (desired) against what runs (live)',
  syntax: [arg('app')],
  examples: ['diff web'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const name = argString(command, 'app') ?? '';
    const result = await ctx.engine.diff(name);
    const changed = result.changes.filter((c) => c.action !== 'unchanged');
    if (changed.length === 0) {
      return message(
        [text(`${name} is in sync with ${shortSha(result.revision)}: nothing would change.`)],
        'info',
      );
    }
    return message(
      [
        text(`${name} at ${shortSha(result.revision)}: ${changeSetSummary(result.changes)}`),
        code(ctx.redact(result.text), 'diff'),
      ],
      'info',
    );
  },
};
