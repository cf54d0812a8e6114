import { argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const cancel: CommandDefinition = {
  kind: 'action',
  name: 'cancel',
  group: 'operate',
  summary: 'stop a queued or running CI build',
  syntax: [arg('build', { describe: '<ci>/<job>#<number>, as `builds` shows it' })],
  examples: ['cancel jenkins/deploy#12'],
  toAction: (command) => ({ command: 'cancel', args: { build: argString(command, 'build') } }),
};
