import { type AppStatus, type ControlStatus, formatIssue, type ResourceNode } from '../../core/index.js';
import { nodeMessage, summaryLine } from '../../util/index.js';
import type { RegisterCommand } from '../commands.js';
import { type AppResponse, type AppsResponse, appPath } from './api-types.js';
import { lastSyncText, printAppsTable } from './apps.js';
import { withClientOptions } from './connection.js';
import { type ClientContext, clientContext } from './context.js';
import { reportControl } from './control-problem.js';
import { ago, healthText, type Palette, shortSha, syncText, table } from './output.js';
import { printReplicas } from './replicas.js';

export const registerStatus: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('status')
      .argument('[app]', 'one app to show in detail (resources, lock, pin, last error)')
      .option('--replicas', 'list the replicas sharing a PostgreSQL store, and the apps each holds')
      .description('show the state of every app, or of one app in detail')
      .addHelpText(
        'after',
        '\nExamples:\n  wheelhouse status\n  wheelhouse status web\n  wheelhouse status web --json\n  wheelhouse status --replicas',
      ),
  ).action(async (app: string | undefined, opts) => {
    const ctx = await clientContext(opts);
    if (opts.replicas === true) return printReplicas(ctx);
    if (app === undefined) {
      const body = await ctx.api.get<AppsResponse>('/api/v1/apps');
      if (ctx.json) ctx.out.json(body);
      reportControl(ctx, body.control);
      if (ctx.json) return;
      printAppsTable(ctx, body.apps);
      if (body.apps.length > 0) ctx.out.line(`\n${summary(body.apps)}`);
      return;
    }
    // The config problem first, as for every app: this app may be running a refused change's
    // predecessor. A server from before /api/v1/control answers 404: nothing to report then.
    const control = await ctx.api.get<ControlStatus>('/api/v1/control').catch(() => undefined);
    reportControl(ctx, control);
    const status = await ctx.api.get<AppResponse>(appPath(app));
    if (ctx.json) return ctx.out.json(control ? { ...status, control } : status);
    printAppDetail(ctx, status);
  });
};

function summary(apps: readonly Omit<AppStatus, 'resources'>[]): string {
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  };
  return `${apps.length} app${apps.length === 1 ? '' : 's'}: ${count(apps.map((a) => a.syncStatus))}; ${count(apps.map((a) => a.health.status))}`;
}

export function printAppDetail(ctx: ClientContext, app: AppStatus): void {
  const { out } = ctx;
  const c = out.color;
  const field = (label: string, value: string) => out.line(`  ${c.dim(label.padEnd(11))}${value}`);
  out.line(`${c.bold(app.name)}  ${c.dim(`${app.environment} → ${app.target}`)}`);
  field('source', `${app.source.repo} @ ${app.source.ref}  path ${app.source.path}`);
  field(
    'sync',
    `${syncText(app.syncStatus, c)}   health ${healthText(app.health.status, c)}${app.health.message ? c.dim(` (${summaryLine(app.health.message)})`) : ''}`,
  );
  const subject = app.commitSubject ? ` "${app.commitSubject}"` : '';
  const desired =
    app.desiredRevision && app.desiredRevision !== app.revision
      ? c.yellow(`  (Git has ${shortSha(app.desiredRevision)})`)
      : '';
  field('revision', `${shortSha(app.revision)}${subject}${desired}`);
  if (app.verified)
    field('signed by', `${app.verified.signer} (verified ${shortSha(app.verified.revision)})`);
  field('auto-sync', app.autoSync ? 'on' : c.yellow('off'));
  if (app.autoSync) field('self-heal', app.selfHeal ? 'on' : c.yellow('off (drift stays until a sync)'));
  if (app.pinnedRevision)
    field(
      'pinned',
      c.cyan(`${shortSha(app.pinnedRevision)} (an override: a sync without --revision clears it)`),
    );
  if (app.lock)
    field(
      'lock',
      c.yellow(`held by ${app.lock.holder} since ${ago(app.lock.createdAt)}: ${app.lock.reason}`),
    );
  field('last sync', lastSyncText(app, c) + (app.lastSync ? ` at ${shortSha(app.lastSync.revision)}` : ''));
  if (app.renderError)
    field('render', c.red(`failed at ${shortSha(app.renderError.revision)}: ${app.renderError.message}`));
  else if (app.lastError) field('last error', c.red(`${app.lastError.code}: ${app.lastError.message}`));
  for (const warning of app.renderWarnings ?? []) field('warning', c.yellow(formatIssue(warning)));
  if (app.sourceError)
    field(
      'source',
      c.red(
        `cannot fetch since ${ago(app.sourceError.since)}, showing the last fetched state: ${app.sourceError.message}`,
      ),
    );
  if (app.dependsOn) field('depends on', app.dependsOn.join(', '));
  if (app.waiting)
    field(
      app.waiting.blocked ? 'blocked' : 'waiting',
      (app.waiting.blocked ? c.red : c.yellow)(`since ${ago(app.waiting.since)}: ${app.waiting.reason}`),
    );
  if (app.operation)
    field('operation', c.cyan(`${app.operation.syncId}: ${app.operation.step} ${app.operation.message}`));
  out.line();
  if (app.resources.length === 0) {
    out.line(c.dim('  no resources'));
    return;
  }
  const now = Date.now();
  const rows = app.resources.flatMap((r) => [
    [
      r.kind,
      r.name,
      syncText(r.syncStatus, c),
      healthText(r.health.status, c),
      summaryLine(r.message ?? r.health.message ?? ''),
    ],
    ...treeRows(r.children ?? [], 1, c, now),
  ]);
  out.line(table(['KIND', 'NAME', 'SYNC', 'HEALTH', 'MESSAGE'], rows, c));
}

/**
 * What a resource owns (a Process's replicas, a Deployment's ReplicaSets and Pods), indented
 * under it, each with its facts (pid, uptime, restarts, last exit, probe).
 */
function treeRows(nodes: readonly ResourceNode[], depth: number, c: Palette, now: number): string[][] {
  return nodes.flatMap((n) => [
    [
      c.dim(`${'  '.repeat(depth - 1)}└ ${n.kind}`),
      n.name,
      '',
      healthText(n.health.status, c),
      summaryLine(nodeMessage(n, now), 200),
    ],
    ...treeRows(n.children ?? [], depth + 1, c, now),
  ]);
}
