import type { RegisterCommand } from '../commands.js';
import type { AuditResponse, VerifyResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext, positiveInt } from './context.js';
import { ago, table } from './output.js';

interface AuditOptions {
  verify?: boolean;
  app?: string;
  actor?: string;
  limit: number;
  json?: boolean;
}

export const registerAudit: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    program
      .command('audit')
      .description('show the audit log (who did what, allowed or refused), or verify its hash chain')
      .option('--verify', 'check the hash chain; exits 1 and names the first broken entry if it was altered')
      .option('--app <app>', 'only entries about this app')
      .option('--actor <actor>', 'only entries by this actor, e.g. api:alice or slack:U123')
      .option('--limit <n>', 'how many entries (the newest)', positiveInt('--limit', 1000), 50)
      .addHelpText(
        'after',
        '\nExamples:\n  wheelhouse audit\n  wheelhouse audit --app web --limit 10\n  wheelhouse audit --verify',
      ),
  ).action(async (opts: AuditOptions) => {
    const ctx = await clientContext(opts);
    const c = ctx.out.color;
    if (opts.verify) {
      const result = await ctx.api.get<VerifyResponse>('/api/v1/audit/verify');
      if (!result.ok) setExitCode(1);
      if (ctx.json) return ctx.out.json(result);
      if (result.ok) ctx.out.line(`${c.green('✓')} audit log intact: ${result.checked} entries checked`);
      else {
        const broken = result.firstBroken;
        ctx.out.line(
          `${c.red('✗')} audit log BROKEN${broken ? ` at entry ${broken.seq}: ${broken.reason}` : ''} (${result.checked} entries checked). Restore the database from a backup and find out who altered it.`,
        );
      }
      return;
    }
    const query = new URLSearchParams({ limit: String(Math.max(1, opts.limit)) });
    if (opts.app) query.set('app', opts.app);
    if (opts.actor) query.set('actor', opts.actor);
    const body = await ctx.api.get<AuditResponse>(`/api/v1/audit?${query}`);
    if (ctx.json) return ctx.out.json(body);
    if (body.entries.length === 0) {
      ctx.out.line('No audit entries.');
      return;
    }
    const rows = body.entries.map((e) => [
      String(e.seq),
      ago(e.at),
      e.actor,
      e.action,
      e.app ?? '-',
      e.decision === 'refused' || e.decision === 'denied' ? c.red(e.decision) : (e.decision ?? '-'),
      e.result ?? '',
    ]);
    ctx.out.line(table(['SEQ', 'WHEN', 'ACTOR', 'ACTION', 'APP', 'DECISION', 'RESULT'], rows, c));
  });
};
