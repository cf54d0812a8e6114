import { type DeliveryReport, figureLines, roughDuration } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import { withClientOptions } from './connection.js';
import { clientContext } from './context.js';
import { table } from './output.js';

type MetricsResponse = DeliveryReport & { definitions: Record<string, string> };

interface MetricsOptions {
  app?: string;
  environment?: string;
  team?: string;
  from?: string;
  to?: string;
  bucket?: string;
  json?: boolean;
}

export const registerMetrics: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('metrics')
      .argument('[app]', 'one app (default: every app you may read)')
      .description(
        'delivery (DORA) figures: deployment frequency, lead time, change failure rate, time to restore',
      )
      .option('--environment <name>', 'only the apps of one environment')
      .option('--team <name>', 'only the apps of one team (`team:` of an app)')
      .option('--from <time>', 'start of the period, ISO-8601 (default: 28 days before --to)')
      .option('--to <time>', 'end of the period, ISO-8601 (default: now)')
      .option('--bucket <day|week>', 'split per day or week (default: day up to a month)')
      .addHelpText(
        'after',
        '\nExamples:\n  wheelhouse metrics\n  wheelhouse metrics web --from 2026-01-01T00:00:00Z --json\n\nEvery figure is defined in docs/metrics.md.',
      ),
  ).action(async (app: string | undefined, opts: MetricsOptions) => {
    const ctx = await clientContext(opts);
    const query = new URLSearchParams();
    if (app) query.set('app', app);
    for (const key of ['environment', 'team', 'from', 'to', 'bucket'] as const) {
      const value = opts[key];
      if (value) query.set(key, value);
    }
    const body = await ctx.api.get<MetricsResponse>(`/api/v1/metrics${query.size > 0 ? `?${query}` : ''}`);
    if (ctx.json) return ctx.out.json(body);
    const c = ctx.out.color;
    const figures = body.total.figures;
    ctx.out.line(
      `Delivery of ${app ?? `${figures.apps} app${figures.apps === 1 ? '' : 's'}`}, ${body.from} to ${body.to}`,
    );
    ctx.out.line(table(['FIGURE', 'VALUE'], figureLines(figures), c));
    if (!app && body.byApp.length > 1) {
      const rows = body.byApp.map((g) => [
        g.key,
        String(g.figures.deployments),
        g.figures.leadTime.medianMs === undefined ? '-' : roughDuration(g.figures.leadTime.medianMs),
        g.figures.changeFailure.rate === undefined
          ? '-'
          : `${Math.round(g.figures.changeFailure.rate * 100)}%`,
        g.figures.restore.medianMs === undefined ? '-' : roughDuration(g.figures.restore.medianMs),
      ]);
      ctx.out.line('');
      ctx.out.line(table(['APP', 'DEPLOYS', 'LEAD TIME', 'FAILURE RATE', 'RESTORE'], rows, c));
    }
    ctx.out.line(
      c.dim(`\nFailure window: ${roughDuration(body.failureWindowMs)}. Definitions: docs/metrics.md`),
    );
  });
};
