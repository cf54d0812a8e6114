import type { RegisterCommand } from '../commands.js';
import { type AppResponse, appPath } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext } from './context.js';
import { healthText, shortSha, syncText } from './output.js';

export const registerRefresh: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('refresh')
      .argument('<app>', 'app name')
      .description(
        "fetch the app's source now and reconcile by its sync policy (no need to wait for the next poll)",
      )
      .addHelpText('after', '\nExamples:\n  wheelhouse refresh web'),
  ).action(async (app: string, opts) => {
    const ctx = await clientContext(opts);
    const status = await ctx.api.post<AppResponse>(appPath(app, '/refresh'));
    if (ctx.json) return ctx.out.json(status);
    const c = ctx.out.color;
    const declared = status.desiredRevision ?? status.revision;
    ctx.out.line(
      `Refreshed ${app}: Git declares ${shortSha(declared)}, runs ${shortSha(status.revision)}; ${syncText(status.syncStatus, c)}, ${healthText(status.health.status, c)}`,
    );
    if (status.syncStatus === 'OutOfSync' && !status.autoSync) {
      ctx.out.line(c.dim(`Auto-sync is off for ${app}: run \`wheelhouse sync ${app}\` to apply.`));
    }
  });
};
