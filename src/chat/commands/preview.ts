import type { PreviewApp, PreviewRecord } from '../../core/index.js';
import { WheelhouseError } from '../../core/index.js';
import { code, context, message, text, truncate } from '../core/message.js';
import { argString, type CommandDefinition } from './definition.js';
import { shortSha } from './format.js';
import { mayRead } from './may-read.js';
import { arg } from './syntax.js';

/** How many stored previews are searched for a pull request's address. */
const SEARCHED = 500;

/**
 * `preview <pr-url>`: the stored preview of a pull request (docs/previews.md), as its comment
 * would say it: per app, what the head changes or why it does not render. Only the apps the
 * person may read are shown. The address is the pull request's web address, or the preview's id.
 */
export const preview: CommandDefinition = {
  kind: 'read',
  name: 'preview',
  group: 'git',
  summary: 'what a pull request would change, per app, from its newest preview',
  syntax: [arg('pr')],
  examples: ['preview https://github.com/acme/deploy/pull/7', 'preview github:acme/deploy#7'],
  details:
    'Wheelhouse previews a pull request when its forge sends the pull_request (or merge request) webhook: it renders the apps the head changes and diffs them against what runs now. This shows the newest preview: each app changed (resources created, configured, deleted), unchanged, or failing to render with file:line. The field diffs are in GET /api/v1/previews/{id}.',
  async answer(ctx, command) {
    const wanted = (argString(command, 'pr') ?? '').trim().replace(/^<|>$/g, '');
    const found = await findPreview(ctx.store, wanted);
    if (!found) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `no preview of ${wanted}: Wheelhouse previews a pull request when its forge's webhook (pull_request, or Merge Request Hook) reaches /hooks/<forge> for a repository an app follows — check the webhook sends those events, then push to the pull request`,
      );
    }
    const apps = found.report.apps.filter((a) => mayRead(ctx, a.app));
    const hidden = found.report.apps.length - apps.length;
    const failed = apps.filter((a) => a.outcome === 'failed').length;
    const changed = apps.filter((a) => a.outcome === 'changed').length;
    const title = found.title ? `“${found.title}” ` : '';
    const summary =
      apps.length === 0
        ? 'changes no app you may read'
        : `${changed} app${changed === 1 ? '' : 's'} changed${failed > 0 ? `, ${failed} failing to render` : ''}`;
    return message(
      [
        text(
          `${failed > 0 ? '❌' : '🔍'} Preview of ${title}at ${shortSha(found.report.revision)}: ${summary}`,
        ),
        ...(apps.length > 0 ? [code(ctx.redact(truncate(apps.map(section).join('\n'), 3000)))] : []),
        context(
          [
            found.url ?? found.id,
            `updated ${found.updatedAt}`,
            ...(hidden > 0 ? [`${hidden} app${hidden === 1 ? '' : 's'} you may not read left out`] : []),
            `field diffs: GET /api/v1/previews/${encodeURIComponent(found.id)}`,
          ].join(' · '),
        ),
      ],
      'info',
    );
  },
};

/** A preview by its id, or by the pull request's web address (trailing `/files` and slashes ignored). */
async function findPreview(
  store: {
    getPreview(id: string): Promise<PreviewRecord | undefined>;
    listPreviews(filter?: { limit?: number }): Promise<PreviewRecord[]>;
  },
  wanted: string,
): Promise<PreviewRecord | undefined> {
  if (!wanted.includes('://')) return store.getPreview(wanted);
  const normal = (url: string) => url.replace(/\/(files|commits|changes|diffs)\/?$/, '').replace(/\/+$/, '');
  const target = normal(wanted);
  return (await store.listPreviews({ limit: SEARCHED })).find(
    (p) => p.url !== undefined && normal(p.url) === target,
  );
}

/** One app's lines: what changes, or why the head does not render. */
function section(app: PreviewApp): string {
  if (app.outcome === 'unchanged')
    return `${app.app}: unchanged (the files changed, the rendered result did not)`;
  if (app.outcome === 'failed') {
    const problems = app.issues.slice(0, 3).map((i) => `  ${i.file}:${i.line}: ${i.message}`);
    const more = app.issues.length > 3 ? [`  … and ${app.issues.length - 3} more`] : [];
    return [`${app.app}: does not render at this head`, ...problems, ...more].join('\n');
  }
  const count = (action: string) => app.changes.filter((c) => c.action === action);
  const parts = ['created', 'configured', 'deleted']
    .map((action) => [action, count(action).map((c) => c.name)] as const)
    .filter(([, names]) => names.length > 0)
    .map(([action, names]) => `${action} ${names.join(', ')}`);
  const refused = (app.refused ?? []).map((r) => `\n  the target would refuse ${r.key}: ${r.message}`);
  return `${app.app}: ${parts.join('; ') || 'changed'}${refused.join('')}`;
}
