import { argString, type CommandDefinition } from './definition.js';
import { arg, optional } from './syntax.js';

export const build: CommandDefinition = {
  kind: 'action',
  name: 'build',
  group: 'operate',
  summary: 'start a CI job and follow it in the thread',
  syntax: [
    arg('job', { describe: '<ci>/<job>: a server under ci: in wheelhouse.yaml and the job path on it' }),
    optional(arg('params', { type: 'kv', rest: 'list', display: 'KEY=VALUE' })),
  ],
  details:
    'Jenkins jobs are paths (folders and multibranch branches: `jenkins/team/shop/main`), GitHub Actions jobs are workflow files (`gha/deploy.yml`), GitLab jobs are the ref a pipeline runs on (`gitlab/main`). Parameters become build parameters, workflow inputs or pipeline variables. The thread follows the build: queued, running (with the stage where the server says it), then how it ended, with the last console lines when it failed.',
  examples: [
    'build jenkins/deploy',
    'build jenkins/team/shop/main VERSION=1.4.2',
    'build gha/deploy.yml env=staging',
  ],
  toAction: (command) => ({
    command: 'build',
    args: { job: argString(command, 'job'), ...(command.args.params ? { params: command.args.params } : {}) },
  }),
};
