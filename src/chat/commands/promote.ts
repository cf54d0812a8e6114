import { argString, type CommandDefinition } from './definition.js';
import { arg, word } from './syntax.js';

export const promote: CommandDefinition = {
  kind: 'action',
  name: 'promote',
  group: 'git',
  summary: 'copy what runs in one environment to the next (a commit by you)',
  syntax: [arg('app'), word('from'), arg('from'), word('to'), arg('to')],
  details:
    'Finds the app of each environment (named `<app>`, `<app>-<env>` or `<env>-<app>`), and makes the target app’s manifests equal to the revision the source app runs.',
  examples: ['promote web from staging to prod'],
  toAction: (command) => ({
    command: 'promote',
    args: { app: argString(command, 'app'), from: argString(command, 'from'), to: argString(command, 'to') },
  }),
};
