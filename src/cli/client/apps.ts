import type { AppStatus } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import type { AppsResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { type ClientContext, clientContext } from './context.js';
import { reportControl } from './control-problem.js';
import { ago, healthText, type Palette, resultText, shortSha, syncText, table } from './output.js';

export const registerApps: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('apps')
      .description('list apps: environment, target, sync status, health, revision and last sync')
      .addHelpText('after', "\nExamples:\n  wheelhouse apps\n  wheelhouse apps --json | jq '.apps[].name'"),
  ).action(async (opts) => {
    const ctx = await clientContext(opts);
    const body = await ctx.api.get<AppsResponse>('/api/v1/apps');
    if (ctx.json) ctx.out.json(body);
    reportControl(ctx, body.control);
    if (!ctx.json) printAppsTable(ctx, body.apps);
  });
};

export function printAppsTable(ctx: ClientContext, apps: readonly Omit<AppStatus, 'resources'>[]): void {
  const { out } = ctx;
  if (apps.length === 0) {
    out.line('No apps: declare some under `apps:` in wheelhouse.yaml.');
    return;
  }
  const rows = apps.map((app) => [
    app.name +
      (app.lock ? ` ${out.color.yellow('[locked]')}` : '') +
      (app.pinnedRevision ? ` ${out.color.cyan('[pinned]')}` : '') +
      (app.sourceError ? ` ${out.color.red('[source error]')}` : '') +
      (app.renderError ? ` ${out.color.red('[render error]')}` : '') +
      (app.lastError?.code === 'CONFIG_INVALID' ? ` ${out.color.red('[config error]')}` : ''),
    app.environment,
    app.target,
    syncText(app.syncStatus, out.color),
    healthText(app.health.status, out.color),
    shortSha(app.revision),
    lastSyncText(app, out.color),
  ]);
  out.line(table(['NAME', 'ENV', 'TARGET', 'SYNC', 'HEALTH', 'REVISION', 'LAST SYNC'], rows, out.color));
  const failing = apps.filter(
    (app) => app.sourceError || app.renderError || app.lastError?.code === 'CONFIG_INVALID',
  );
  for (const app of failing) {
    const why = app.sourceError
      ? `cannot fetch its source: ${app.sourceError.message}`
      : app.renderError
        ? firstLines(app.renderError.message, app.name)
        : (app.lastError?.message ?? '');
    out.line(out.color.red(`${app.name}: ${why}`));
  }
}

export function lastSyncText(app: Pick<AppStatus, 'lastSync' | 'operation'>, color: Palette): string {
  if (app.operation) return color.cyan(`syncing: ${app.operation.message || app.operation.step}`);
  const last = app.lastSync;
  if (!last) return color.dim('never');
  return `${resultText(last.result, color)} ${ago(last.finishedAt ?? last.startedAt)} by ${last.actor}`;
}

/** A render error in the list: its headline and first problems (`status <app>` shows them all). */
function firstLines(message: string, app: string, count = 4): string {
  const lines = message.split('\n');
  if (lines.length <= count) return message;
  return [...lines.slice(0, count), `... (\`wheelhouse status ${app}\` shows all)`].join('\n');
}
