import { argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const resume: CommandDefinition = {
  kind: 'action',
  name: 'resume',
  group: 'git',
  summary: 'turn auto-sync back on for an app (a commit to wheelhouse.yaml by you)',
  syntax: [arg('app')],
  examples: ['resume web'],
  toAction: (command) => ({ command: 'resume', args: { app: argString(command, 'app') } }),
};
