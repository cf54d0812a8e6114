import { describeLock } from '../../access/index.js';
import {
  type AppStatus,
  type Block,
  type ChatMessage,
  formatIssue,
  type ResourceNode,
} from '../../core/index.js';
import { nodeMessage, summaryLine } from '../../util/index.js';
import { code, context, fields, message, text } from '../core/message.js';
import { argString, type CommandContext, type CommandDefinition } from './definition.js';
import { ago, healthLabel, shortSha, table } from './format.js';
import { arg, optional } from './syntax.js';

export const status: CommandDefinition = {
  kind: 'read',
  name: 'status',
  aliases: ['st', 'apps'],
  group: 'read',
  summary: 'every app at a glance, or one app in detail',
  syntax: [optional(arg('app'))],
  examples: ['status', 'status web'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const name = argString(command, 'app');
    // Locks come from the store, where they are taken: the engine learns of them on its next pass.
    const locks = new Map((await ctx.store.listLocks()).map((l) => [l.app, l]));
    const withLock = (app: AppStatus): AppStatus => {
      const lock = locks.get(app.name);
      if (lock) return { ...app, lock };
      const { lock: _released, ...rest } = app;
      return rest;
    };
    // A refused wheelhouse.yaml is said first, as the CLI's `status` and `apps` do.
    const problem = ctx.engine.control().problem;
    const first = problem ? [text(ctx.redact(`⚠️ ${problem.message}`))] : [];
    if (name !== undefined) return appDetail(ctx, withLock(ctx.engine.status(name)), first);
    const apps = ctx.engine.apps().map(withLock);
    if (apps.length === 0)
      return message(
        [...first, text('No apps are declared yet: add some under `apps:` in wheelhouse.yaml.')],
        'info',
      );
    const rows = [['APP', 'ENV', 'SYNC', 'HEALTH', 'REVISION', 'NOTES']];
    for (const app of apps) {
      const notes = [
        app.lock ? `🔒 ${app.lock.holder}` : '',
        app.autoSync ? '' : 'paused',
        app.pinnedRevision ? `pinned ${shortSha(app.pinnedRevision)}` : '',
        app.operation ? `⏳ ${app.operation.step}` : '',
        app.waiting ? `${app.waiting.blocked ? 'blocked by' : 'waits for'} ${app.waiting.on.join(', ')}` : '',
      ].filter(Boolean);
      rows.push([
        app.name,
        app.environment,
        app.syncStatus,
        healthLabel(app.health.status),
        shortSha(app.revision),
        notes.join(', '),
      ]);
    }
    const degraded = apps.filter((a) => a.health.status !== 'Healthy').length;
    const summary = `${apps.length} app${apps.length === 1 ? '' : 's'}${degraded > 0 ? `, ${degraded} not healthy` : ', all healthy'}`;
    return message([...first, text(summary), code(ctx.redact(table(rows)))], 'info');
  },
};

function appDetail(ctx: CommandContext, app: AppStatus, first: Block[]): ChatMessage {
  const now = ctx.now();
  const info: Record<string, string> = {
    Environment: app.environment,
    Target: app.target,
    Sync: app.syncStatus,
    Health: `${healthLabel(app.health.status)}${app.health.message ? ` — ${summaryLine(app.health.message)}` : ''}`,
    Revision: `${shortSha(app.revision)}${app.commitSubject ? ` ${app.commitSubject}` : ''}`,
  };
  if (app.desiredRevision && app.desiredRevision !== app.revision)
    info['Git declares'] = shortSha(app.desiredRevision);
  if (app.verified)
    info['Signed by'] = `${app.verified.signer} (verified ${shortSha(app.verified.revision)})`;
  info['Auto-sync'] = app.autoSync ? 'on' : 'paused (`resume` turns it back on)';
  if (app.autoSync) info['Self-heal'] = app.selfHeal ? 'on' : 'off (drift stays until a `sync`)';
  if (app.pinnedRevision)
    info.Pinned = `${shortSha(app.pinnedRevision)} (the next \`sync\` without a revision clears it)`;
  if (app.lock) info.Lock = describeLock(app.lock, ctx.config.people);
  if (app.lastSync) {
    info['Last sync'] =
      `${app.lastSync.result} at ${shortSha(app.lastSync.revision)} by ${app.lastSync.actor}, ${ago(app.lastSync.finishedAt ?? app.lastSync.startedAt, now)}`;
  }
  if (app.dependsOn) info['Depends on'] = app.dependsOn.join(', ');
  if (app.waiting)
    info[app.waiting.blocked ? 'Blocked' : 'Waiting'] =
      `since ${ago(app.waiting.since, now)}: ${summaryLine(app.waiting.reason)}`;
  if (app.operation) info.Running = `${app.operation.step}: ${app.operation.message}`;
  if (app.renderError)
    info['Render failed'] = `at ${shortSha(app.renderError.revision)}: ${app.renderError.message}`;
  else if (app.lastError) info['Last error'] = `${app.lastError.code}: ${app.lastError.message}`;
  if (app.renderWarnings?.length) info['Render warnings'] = app.renderWarnings.map(formatIssue).join('\n');
  if (app.sourceError)
    info['Source error'] =
      `cannot fetch since ${ago(app.sourceError.since, now)} (showing the last fetched state): ${summaryLine(app.sourceError.message)}`;
  const blocks = [
    ...first,
    text(`${app.name}: ${healthLabel(app.health.status)}, ${app.syncStatus}`),
    fields(redactFields(ctx, info)),
  ];
  if (app.resources.length > 0) {
    const rows = [['RESOURCE', 'KIND', 'SYNC', 'HEALTH', 'MESSAGE']];
    for (const r of app.resources) {
      rows.push([
        r.name,
        r.kind,
        r.syncStatus,
        r.health.status,
        summaryLine(r.message ?? r.health.message ?? ''),
      ]);
      rows.push(...treeRows(r.children ?? [], 1, now.getTime()));
    }
    blocks.push(code(ctx.redact(table(rows))));
  }
  blocks.push(context(`source ${app.source.repo} ${app.source.ref} ${app.source.path}`));
  return message(blocks, 'info');
}

/** A Process's replicas (a Job's runs, a Deployment's Pods) indented under it, with their facts. */
function treeRows(nodes: readonly ResourceNode[], depth: number, now: number): string[][] {
  return nodes.flatMap((n) => [
    [`${'  '.repeat(depth - 1)}└ ${n.name}`, n.kind, '', n.health.status, summaryLine(nodeMessage(n, now))],
    ...treeRows(n.children ?? [], depth + 1, now),
  ]);
}

function redactFields(ctx: CommandContext, info: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(info).map(([k, v]) => [k, ctx.redact(v)]));
}
