import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, optionalText, text } from './args.js';
import type { OperationDeps } from './deps.js';
import { runSync, syncOutcome } from './sync-run.js';

export function syncOperation(deps: OperationDeps): Operation {
  return {
    name: 'sync',
    app: appArg,
    describe: (args) =>
      `sync ${String(args.app)}${args.revision ? ` to ${String(args.revision)}` : ''}${args.force === true ? ' --force' : ''}`,
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
          ...(args.force === true ? { force: true } : {}),
          ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        },
        ctx.progress,
      );
      // A sync forced inside a deny window says so, in the reply and so in the audit.
      const forced = record.messages.find((m) => m.includes('inside the deny window'));
      const verb = revision ? `synced to ${revision}` : 'synced';
      return syncOutcome(deps, spec, record, forced ? `${verb} (${forced})` : verb);
    },
  };
}
