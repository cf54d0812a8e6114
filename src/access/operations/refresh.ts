import { shortSha } from '../../util/index.js';
import type { Operation } from '../operation.js';
import { appArg, text } from './args.js';
import type { OperationDeps } from './deps.js';

export function refreshOperation(deps: OperationDeps): Operation {
  return {
    name: 'refresh',
    app: appArg,
    describe: (args) => `refresh ${String(args.app)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      ctx.progress('fetching the source');
      await deps.engine.refresh(app);
      const status = deps.engine.status(app);
      const declared = shortSha(status.desiredRevision, 'unknown');
      const running = shortSha(status.revision, 'nothing yet');
      return {
        ok: true,
        summary: `refreshed ${app}: Git declares ${declared}, it runs ${running} (${status.syncStatus})${
          status.autoSync ? '' : '; auto-sync is paused, so `sync` applies it'
        }`,
        health: status.health,
      };
    },
  };
}
