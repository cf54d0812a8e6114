import { argString, type CommandDefinition } from './definition.js';
import { arg, optional, word } from './syntax.js';

export const sync: CommandDefinition = {
  kind: 'action',
  name: 'sync',
  aliases: ['deploy'],
  group: 'operate',
  summary: 'apply what Git declares now, or pin the app to a revision',
  syntax: [arg('app'), optional(word('to'), arg('rev', { action: 'revision' }))],
  details:
    'Without a revision the app follows its source ref (and a pin is cleared). `to <rev>` takes a branch, tag or sha and pins the app there until the next plain `sync`.',
  examples: ['sync web', 'sync web to 3f2a1bc'],
  toAction: (command) => {
    const rev = argString(command, 'rev');
    return { command: 'sync', args: { app: argString(command, 'app'), ...(rev ? { revision: rev } : {}) } };
  },
};
