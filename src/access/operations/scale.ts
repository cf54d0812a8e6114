import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, text, whole } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';
import { editReplicas } from './scale-edits.js';

export function scaleOperation(deps: OperationDeps): Operation {
  return {
    name: 'scale',
    app: appArg,
    describe: (args) => `scale ${String(args.app)}/${String(args.process)} to ${String(args.replicas)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const process = text(args, 'process');
      const replicas = whole(args, 'replicas', 0, 100);
      const spec = appSpec(deps.engine.config(), app);
      return commitAndApply(deps, ctx, {
        command: 'scale',
        spec,
        subject: `${app}: scale ${process} to ${replicas} replica${replicas === 1 ? '' : 's'}`,
        unchanged: `${app}/${process} already declares ${replicas} replica${replicas === 1 ? '' : 's'}; nothing to change`,
        edit: (worktree) => editReplicas(worktree.dir, spec, process, replicas),
      });
    },
  };
}
