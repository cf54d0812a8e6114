import { argString, type CommandDefinition } from './definition.js';
import { arg, word } from './syntax.js';

export const set: CommandDefinition = {
  kind: 'action',
  name: 'set',
  group: 'git',
  summary: 'set environment variables of a process (a commit by you)',
  syntax: [
    word('env'),
    arg('app'),
    arg('process'),
    arg('vars', { type: 'kv', rest: 'list', display: 'KEY=VALUE', action: 'env' }),
  ],
  details:
    'Values land in Git, so secrets do not belong here: use `secretEnv` in the manifest. Variables the process takes from secretEnv are refused.',
  examples: ['set env web web LOG_LEVEL=debug', 'set env web web GREETING="Hello there" PORT=8081'],
  toAction: (command) => ({
    command: 'set',
    args: { app: argString(command, 'app'), process: argString(command, 'process'), env: command.args.vars },
  }),
};
