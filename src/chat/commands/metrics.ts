import { gatherDelivery, periodOf, sourceCommits } from '../../access/index.js';
import { computeDelivery, DELIVERY_DEFINITIONS, figureLines } from '../../core/index.js';
import { context, fields, message, text } from '../core/message.js';
import { argString, type CommandDefinition } from './definition.js';
import { mayRead } from './may-read.js';
import { arg, optional } from './syntax.js';

/** Where the dashboard shows the charts (relative to the dashboard's address). */
export const METRICS_PAGE = '/delivery';

export const metrics: CommandDefinition = {
  kind: 'read',
  name: 'metrics',
  aliases: ['dora'],
  group: 'read',
  summary:
    'delivery figures of the last 28 days: deployments, lead time, change failure rate, time to restore',
  syntax: [optional(arg('app'))],
  examples: ['metrics', 'metrics web'],
  details:
    'Deployment frequency, lead time for changes, change failure rate and time to restore (the DORA figures) of one app, or of every app you may read, over the last 28 days. The dashboard’s Metrics page plots them per day and shows each app’s syncs on a timeline.',
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const app = argString(command, 'app');
    if (app) ctx.engine.status(app); // NOT_FOUND with a suggestion for a typo
    const period = periodOf({}, ctx.now());
    const history = await gatherDelivery(
      {
        engine: ctx.engine,
        store: ctx.store,
        config: () => ctx.config,
        ...(ctx.source ? { commits: sourceCommits(ctx.engine, ctx.source) } : {}),
      },
      { ...(app ? { app } : {}), readable: (name) => mayRead(ctx, name) },
      period,
    );
    const report = computeDelivery(history, period);
    const figures = report.total.figures;
    const what = app ?? `${figures.apps} app${figures.apps === 1 ? '' : 's'}`;
    const page = `${METRICS_PAGE}${app ? `?app=${encodeURIComponent(app)}` : ''}`;
    return message(
      [
        text(`Delivery of ${what}, ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}`),
        fields(figureLines(figures).map(([label, value]) => ({ label, value }))),
        context(
          `${DELIVERY_DEFINITIONS.changeFailureRate} Charts and every definition: the dashboard's Metrics page, ${page}`,
        ),
      ],
      'info',
    );
  },
};
