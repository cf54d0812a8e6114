import { argString, type CommandDefinition } from './definition.js';
import { arg, optional } from './syntax.js';

export const builds: CommandDefinition = {
  kind: 'action',
  name: 'builds',
  group: 'read',
  summary: 'recent builds of a CI job, or the ones started through Wheelhouse',
  syntax: [optional(arg('job'))],
  details:
    'With `<ci>/<job>` the CI server lists the job’s last 10 builds; without, the builds started here.',
  examples: ['builds', 'builds jenkins/deploy'],
  toAction: (command) => {
    const job = argString(command, 'job');
    return { command: 'builds', args: job ? { job } : {} };
  },
};
