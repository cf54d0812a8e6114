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
  flags: [{ name: 'force', type: 'boolean', describe: 'sync inside a deny sync window (needs admin)' }],
  examples: ['sync web', 'sync web to 3f2a1bc', 'sync web --force'],
  toAction: (command) => {
    const rev = argString(command, 'rev');
    const force = command.flags.force === true;
    return {
      command: 'sync',
      args: {
        app: argString(command, 'app'),
        ...(rev ? { revision: rev } : {}),
        ...(force ? { force } : {}),
      },
      ...(force ? { force } : {}),
    };
  },
};
