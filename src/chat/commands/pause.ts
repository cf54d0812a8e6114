import { argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const pause: CommandDefinition = {
  kind: 'action',
  name: 'pause',
  group: 'git',
  summary: 'turn auto-sync off for an app (a commit to wheelhouse.yaml by you)',
  syntax: [arg('app')],
  examples: ['pause web'],
  toAction: (command) => ({ command: 'pause', args: { app: argString(command, 'app') } }),
};
