import { checkPermission } from '../../access/index.js';
import type { CommandContext } from './definition.js';

/** Whether the person asking may read `app` (answers about many apps show only those). */
export function mayRead(ctx: CommandContext, app: string): boolean {
  const environment = ctx.engine.apps().find((a) => a.name === app)?.environment ?? '';
  return checkPermission(ctx.config.access, ctx.config.people, ctx.identity, 'read', {
    name: app,
    environment,
  }).allowed;
}
