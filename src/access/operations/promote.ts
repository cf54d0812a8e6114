import { type AppSpec, type ControlConfig, WheelhouseError } from '../../core/index.js';
import { normalizeRepoUrl } from '../../source/git/index.js';
import { shortSha } from '../../util/index.js';
import type { Operation } from '../operation.js';
import { branchOf, repoOf } from './app-source.js';
import { text } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';
import { promoteEdit } from './promote-edits.js';

/** The app that stands for `name` in an environment: `name`, `name-env`, `env-name` or `name.env`. */
export function appInEnvironment(config: ControlConfig, name: string, environment: string): AppSpec {
  const candidates = [name, `${name}-${environment}`, `${environment}-${name}`, `${name}.${environment}`];
  const found = config.apps.filter((a) => a.environment === environment && candidates.includes(a.name));
  const [only] = found;
  if (!only || found.length > 1) {
    throw new WheelhouseError(
      'NOT_FOUND',
      found.length > 1
        ? `several apps stand for ${name} in ${environment} (${found.map((a) => a.name).join(', ')}); rename them so one matches`
        : `no app stands for ${name} in environment ${environment}: looked for ${candidates.join(', ')} with environment: ${environment}`,
      { details: { app: name } },
    );
  }
  return only;
}

export function promoteOperation(deps: OperationDeps): Operation {
  const target = (args: Readonly<Record<string, unknown>>): string | undefined => {
    if (typeof args.app !== 'string' || typeof args.to !== 'string') return undefined;
    try {
      return appInEnvironment(deps.engine.config(), args.app, args.to).name;
    } catch {
      return args.app;
    }
  };
  return {
    name: 'promote',
    app: target,
    describe: (args) => `promote ${String(args.app)} from ${String(args.from)} to ${String(args.to)}`,
    async run(ctx, args) {
      const name = text(args, 'app');
      const config = deps.engine.config();
      const from = appInEnvironment(config, name, text(args, 'from'));
      const to = appInEnvironment(config, name, text(args, 'to'));
      if (from.name === to.name) {
        throw new WheelhouseError(
          'BAD_REQUEST',
          `${from.name} is both the source and the target; name two environments`,
        );
      }
      const fromRepo = repoOf(deps, from);
      const toRepo = repoOf(deps, to);
      if (normalizeRepoUrl(fromRepo.url) !== normalizeRepoUrl(toRepo.url)) {
        throw new WheelhouseError(
          'BAD_REQUEST',
          `${from.name} and ${to.name} live in different repositories; promotion copies manifests inside one repository`,
        );
      }
      const running = deps.engine.status(from.name).revision;
      if (!running) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          `${from.name} has not been synced yet, so there is nothing to promote`,
        );
      }
      const short = shortSha(running);
      return commitAndApply(deps, ctx, {
        command: 'promote',
        spec: to,
        repo: toRepo,
        branch: branchOf(deps, to),
        subject: `Promote ${name} from ${from.environment} (${short}) to ${to.environment}`,
        body: `${to.path} now runs what ${from.name} runs at ${running} (${from.path}).`,
        unchanged: `${to.name} already declares what ${from.name} runs (${short}); nothing to promote`,
        edit: (worktree) => promoteEdit(worktree, running, from, to),
      });
    },
  };
}
