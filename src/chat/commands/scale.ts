import { argNumber, argString, type CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const scale: CommandDefinition = {
  kind: 'action',
  name: 'scale',
  group: 'git',
  summary: 'set how many replicas of a process or Kubernetes Deployment/StatefulSet run (a commit by you)',
  syntax: [arg('app'), arg('process'), arg('n', { type: 'int', min: 0, max: 100, action: 'replicas' })],
  examples: ['scale web web 3'],
  toAction: (command) => ({
    command: 'scale',
    args: {
      app: argString(command, 'app'),
      process: argString(command, 'process'),
      replicas: argNumber(command, 'n'),
    },
  }),
};
