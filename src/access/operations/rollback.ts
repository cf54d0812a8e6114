import { WheelhouseError } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import { restorePath } from '../../writeback/index.js';
import type { Operation } from '../operation.js';
import { appSpec, repoOf } from './app-source.js';
import { appArg, optionalText, text } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';

/** Default target: the revision of the previous successful sync whose tree differs from what runs. */
async function previousGood(deps: OperationDeps, app: string): Promise<string> {
  const history = (await deps.engine.history(app, 100)).filter((r) => r.result === 'succeeded' && !r.dryRun);
  const [current, ...older] = history;
  const target = current ? older.find((r) => r.digest !== current.digest) : undefined;
  if (!target) {
    throw new WheelhouseError(
      'NOT_FOUND',
      `${app} has no earlier successful sync to roll back to; name a revision: \`rollback ${app} to <rev>\``,
      { details: { app } },
    );
  }
  return target.revision;
}

export function rollbackOperation(deps: OperationDeps): Operation {
  return {
    name: 'rollback',
    app: appArg,
    describe: (args) => `roll back ${String(args.app)}${args.revision ? ` to ${String(args.revision)}` : ''}`,
    async preview(args) {
      const app = text(args, 'app');
      const spec = appSpec(deps.engine.config(), app);
      const wanted = optionalText(args, 'revision') ?? (await previousGood(deps, app));
      const sha = await deps.source.resolve(repoOf(deps, spec), wanted);
      const commit = await deps.source.commit(repoOf(deps, spec), sha);
      return `restores ${spec.path} to ${shortSha(sha)} (${commit.subject})`;
    },
    async run(ctx, args) {
      const app = text(args, 'app');
      const spec = appSpec(deps.engine.config(), app);
      const repo = repoOf(deps, spec);
      const wanted = optionalText(args, 'revision');
      ctx.progress('finding the revision to restore');
      await deps.source.fetch(repo);
      const target = await deps.source.resolve(repo, wanted ?? (await previousGood(deps, app)));
      const commit = await deps.source.commit(repo, target);
      const short = shortSha(target);
      return commitAndApply(deps, ctx, {
        command: 'rollback',
        spec,
        subject: `Roll back ${app} to ${short}`,
        body: `This restores ${spec.path} to its tree at ${target}\n("${commit.subject}" by ${commit.authorName}).`,
        unchanged: `${spec.path} already matches ${short}; nothing to roll back`,
        edit: async (worktree) => {
          await restorePath(worktree, target, spec.path);
          return true;
        },
      });
    },
  };
}
