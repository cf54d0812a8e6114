import { argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const unlock: CommandDefinition = {
  kind: 'action',
  name: 'unlock',
  group: 'operate',
  summary: 'release your lock on an app (admins: break anyone’s with --force)',
  syntax: [arg('app')],
  flags: [{ name: 'force', type: 'boolean', describe: 'break a lock someone else holds (needs admin)' }],
  examples: ['unlock web', 'unlock web --force'],
  toAction: (command) => ({
    command: 'unlock',
    args: { app: argString(command, 'app'), force: command.flags.force === true },
    ...(command.flags.force === true ? { force: true } : {}),
  }),
};
