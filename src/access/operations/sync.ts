import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, optionalText, text } from './args.js';
import type { OperationDeps } from './deps.js';
import { runSync, syncOutcome } from './sync-run.js';

export function syncOperation(deps: OperationDeps): Operation {
  return {
    name: 'sync',
    app: appArg,
    describe: (args) => `sync ${String(args.app)}${args.revision ? ` to ${String(args.revision)}` : ''}`,
    async preview(args) {
      if (args.revision) return undefined;
      return (await deps.engine.diff(text(args, 'app'))).text;
    },
    async run(ctx, args) {
      const app = text(args, 'app');
      const revision = optionalText(args, 'revision');
      const spec = appSpec(deps.engine.config(), app);
      ctx.progress(revision ? `syncing to ${revision}` : 'syncing');
      const record = await runSync(
        deps,
        app,
        {
          actor: ctx.identity.actor,
          ...(revision ? { revision } : {}),
          ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        },
        ctx.progress,
      );
      return syncOutcome(deps, spec, record, revision ? `synced to ${revision}` : 'synced');
    },
  };
}
