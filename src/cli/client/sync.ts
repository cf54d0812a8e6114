import type { SyncRecord, WheelhouseEvent } from '../../core/index.js';
import { WheelhouseError } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { appPath, type SyncAccepted } from './api-types.js';
import { withClientOptions } from './connection.js';
import { type ClientContext, clientContext } from './context.js';
import { healthText, resultText, shortSha } from './output.js';
import { createProgress } from './progress.js';
import { watchEvents } from './watch-events.js';

interface SyncOptions {
  revision?: string;
  dryRun?: boolean;
  wait?: boolean;
}

export const registerSync: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    program
      .command('sync')
      .argument('<app>', 'app name')
      .description('sync an app now: apply what Git declares (or a given revision)')
      .option(
        '--revision <ref>',
        'pin to this branch, tag, semver range or sha (a sync without it follows the source ref again)',
      )
      .option('--dry-run', 'plan and report what would change, change nothing')
      .option('--wait', 'follow the sync live and exit non-zero when it fails')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  wheelhouse sync web --wait',
          '  wheelhouse sync web --revision v1.4.2 --wait     # pin to a tag',
          '  wheelhouse sync web --dry-run --wait --json',
          '',
          'Without --wait the command returns once the server accepted the sync; follow it with',
          '`wheelhouse status web`. Exit codes: 0 succeeded (or started, without --wait), 1 failed or',
          'cancelled, 3 waiting for approval (someone runs `approve ID` in chat; the same code as `wheelhouse chat`).',
        ].join('\n'),
      ),
  ).action(async (app: string, opts: SyncOptions & { json?: boolean; url?: string; data?: string }) => {
    const ctx = await clientContext(opts);
    const body = {
      ...(opts.revision ? { revision: opts.revision } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
    };
    if (!opts.wait) {
      const accepted = await ctx.api.post<SyncAccepted>(appPath(app, '/sync'), body);
      if (ctx.json) return ctx.out.json(accepted);
      ctx.out.line(
        `${accepted.dryRun ? 'Dry run' : 'Sync'} of ${app} started (operation ${accepted.operationId}). Follow it with \`wheelhouse sync ${app} --wait\` next time, or \`wheelhouse status ${app}\`.`,
      );
      return;
    }
    const record = await syncAndWait(ctx, app, body);
    if (record.result !== 'succeeded') setExitCode(EXIT.failed);
  });
};

/**
 * Subscribes to the app's events first (so nothing is missed), starts the sync, shows its
 * progress, and resolves with the final record.
 */
async function syncAndWait(
  ctx: ClientContext,
  app: string,
  body: Record<string, unknown>,
): Promise<SyncRecord> {
  const progress = ctx.json ? undefined : createProgress(ctx.out);
  let operationId: string | undefined;
  const early: WheelhouseEvent[] = [];
  let finished: Extract<WheelhouseEvent, { type: 'sync.finished' }> | undefined;
  const watcher = watchEvents(ctx.api, `/api/v1/events?app=${encodeURIComponent(app)}`, (event) => {
    if (!('syncId' in event)) return false;
    if (operationId === undefined) {
      early.push(event);
      return false;
    }
    return handle(event);
  });
  const handle = (event: WheelhouseEvent): boolean => {
    if (!('syncId' in event) || event.syncId !== operationId) return false;
    if (event.type === 'sync.started') {
      progress?.update(
        `${event.dryRun ? 'dry run' : 'syncing'} ${app} to ${shortSha(event.revision)} (asked by ${event.actor})`,
      );
    } else if (event.type === 'sync.progress') {
      progress?.update(
        `${app}: ${event.message}${event.resource ? ctx.out.color.dim(` [${event.resource}]`) : ''}`,
      );
    } else if (event.type === 'sync.finished') {
      finished = event;
      return true;
    }
    return false;
  };
  try {
    await watcher.ready;
    progress?.update(`starting a sync of ${app}`);
    const accepted = await ctx.api.post<SyncAccepted>(appPath(app, '/sync'), body);
    operationId = accepted.operationId;
    for (const event of early.splice(0)) if (handle(event)) watcher.stop();
    if (!finished) await watcher.done;
  } finally {
    watcher.stop();
    progress?.stop();
  }
  if (!finished) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `lost the event stream of ${ctx.api.url} before sync ${operationId ?? ''} of ${app} finished; check \`wheelhouse status ${app}\``,
    );
  }
  report(ctx, finished);
  return finished.record;
}

function report(ctx: ClientContext, event: Extract<WheelhouseEvent, { type: 'sync.finished' }>): void {
  if (ctx.json) {
    ctx.out.json(event);
    return;
  }
  const c = ctx.out.color;
  const counts = new Map<string, number>();
  for (const change of event.changes)
    if (change.action !== 'unchanged') counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  const changes = [...counts].map(([action, n]) => `${n} ${action}`).join(', ') || 'no changes';
  const health = event.health ? `, ${healthText(event.health.status, c)}` : '';
  const mark = event.result === 'succeeded' ? c.green('✓') : c.red('✗');
  ctx.out.line(
    `${mark} sync of ${event.app} ${resultText(event.result, c)} at ${shortSha(event.revision)}: ${changes}${health}`,
  );
  for (const change of event.changes) {
    if (change.action === 'unchanged') continue;
    ctx.out.line(c.dim(`    ${change.action.padEnd(10)} ${change.kind} ${change.name}`));
  }
  for (const message of event.record.messages)
    ctx.out.line(`  ${event.result === 'succeeded' ? message : c.red(message)}`);
}
