import { argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const refresh: CommandDefinition = {
  kind: 'action',
  name: 'refresh',
  group: 'operate',
  summary: 'fetch the app’s source now and act on it according to its sync policy',
  syntax: [arg('app')],
  examples: ['refresh web'],
  toAction: (command) => ({ command: 'refresh', args: { app: argString(command, 'app') } }),
};
