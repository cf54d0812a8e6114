import { argString, type CommandDefinition } from './definition.js';
import { arg, optional } from './syntax.js';

export const lock: CommandDefinition = {
  kind: 'action',
  name: 'lock',
  group: 'operate',
  summary: 'stop auto-sync and everyone else’s changes to an app until you unlock it',
  syntax: [arg('app'), optional(arg('reason', { rest: 'text' }))],
  examples: ['lock web investigating the 502s'],
  toAction: (command) => ({
    command: 'lock',
    args: { app: argString(command, 'app'), reason: argString(command, 'reason') ?? '' },
  }),
};
