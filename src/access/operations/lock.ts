import { displayName, resolveIdentity, samePerson } from '../identity.js';
import { describeLock } from '../locks.js';
import type { Operation } from '../operation.js';
import { appArg, text } from './args.js';
import type { OperationDeps } from './deps.js';

export function lockOperation(deps: OperationDeps): Operation {
  return {
    name: 'lock',
    app: appArg,
    describe: (args) => `lock ${String(args.app)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const reason = typeof args.reason === 'string' ? args.reason.trim() : '';
      const now = (deps.now ?? (() => new Date()))();
      const taken = await deps.store.acquireLock({
        app,
        holder: ctx.identity.actor,
        reason,
        createdAt: now.toISOString(),
      });
      const people = deps.engine.config().people;
      if (!taken.acquired) {
        const mine = samePerson(resolveIdentity(taken.lock.holder, people), ctx.identity);
        return mine
          ? { ok: true, summary: `${app} is already ${describeLock(taken.lock, people)}` }
          : {
              ok: false,
              summary: `${app} is ${describeLock(taken.lock, people)}`,
              error: { code: 'LOCKED', message: 'locked' },
            };
      }
      void deps.engine.refresh(app).catch(() => undefined);
      return {
        ok: true,
        summary: `${app} is locked by ${displayName(ctx.identity)}${reason ? `: ${reason}` : ''}. Auto-sync and everyone else’s changes wait until \`unlock ${app}\``,
      };
    },
  };
}

export function unlockOperation(deps: OperationDeps): Operation {
  return {
    name: 'unlock',
    app: appArg,
    describe: (args) => `unlock ${String(args.app)}${args.force ? ' --force' : ''}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const lock = await deps.store.getLock(app);
      if (!lock) return { ok: true, summary: `${app} is not locked` };
      await deps.store.releaseLock(app);
      void deps.engine.refresh(app).catch(() => undefined);
      const people = deps.engine.config().people;
      const holder = resolveIdentity(lock.holder, people);
      const broken = !samePerson(holder, ctx.identity);
      return {
        ok: true,
        summary: broken
          ? `${displayName(ctx.identity)} broke the lock ${displayName(holder)} held on ${app}; it follows Git again`
          : `${app} is unlocked; it follows Git again`,
      };
    },
  };
}
