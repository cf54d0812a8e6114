import type { RegisterCommand } from '../commands.js';
import { appPath, type HistoryResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext, positiveInt } from './context.js';
import { ago, duration, healthText, resultText, shortSha, table } from './output.js';

export const registerHistory: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('history')
      .argument('<app>', 'app name')
      .description("show an app's sync history, newest first: revision, result, who, what changed")
      .option('--limit <n>', 'how many syncs', positiveInt('--limit', 500), 20)
      .addHelpText(
        'after',
        '\nExamples:\n  wheelhouse history web\n  wheelhouse history web --limit 5 --json',
      ),
  ).action(async (app: string, opts: { limit: number; json?: boolean }) => {
    const ctx = await clientContext(opts);
    const body = await ctx.api.get<HistoryResponse>(
      appPath(app, `/history?limit=${Math.max(1, opts.limit)}`),
    );
    if (ctx.json) return ctx.out.json(body);
    const c = ctx.out.color;
    if (body.syncs.length === 0) {
      ctx.out.line(`No syncs of ${app} yet.`);
      return;
    }
    const rows = body.syncs.map((s) => {
      const counts = new Map<string, number>();
      for (const change of s.changeSet)
        if (change.action !== 'unchanged') counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
      const changes = [...counts].map(([a, n]) => `${n} ${a}`).join(', ') || c.dim('none');
      return [
        ago(s.startedAt),
        shortSha(s.revision),
        resultText(s.result, c) + (s.dryRun ? c.dim(' (dry run)') : ''),
        s.actor,
        s.trigger,
        duration(s.startedAt, s.finishedAt),
        changes,
        s.health ? healthText(s.health.status, c) : '-',
      ];
    });
    ctx.out.line(
      table(['WHEN', 'REVISION', 'RESULT', 'ACTOR', 'TRIGGER', 'TOOK', 'CHANGES', 'HEALTH'], rows, c),
    );
    const failed = body.syncs.find((s) => s.result === 'failed');
    if (failed?.messages.length)
      ctx.out.line(c.dim(`\nLast failure (${shortSha(failed.revision)}): ${failed.messages.at(-1)}`));
  });
};
