import type { PreviewApp } from '../../core/index.js';

const ACTIONS = ['created', 'configured', 'deleted'] as const;

/** `1 created, 2 configured`: one app's changes counted by action (empty when none). */
export function changeCounts(app: PreviewApp): string {
  return ACTIONS.map((action) => [action, app.changes.filter((c) => c.action === action).length] as const)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} ${action}`)
    .join(', ');
}

/** The resources of one action, as `Kind/name`. */
export function namesOf(app: PreviewApp, action: (typeof ACTIONS)[number]): string[] {
  return app.changes.filter((c) => c.action === action).map((c) => `${c.kind}/${c.name}`);
}

export { ACTIONS as CHANGE_ACTIONS };

/** One line per app for notices: what changes, or the first problem at file:line or refusal. */
export function appLine(app: PreviewApp): string {
  if (app.outcome === 'unchanged') return 'unchanged (the files changed, the rendered result did not)';
  const first = app.issues[0];
  if (app.outcome === 'failed')
    return first ? `does not render: ${first.file}:${first.line} ${first.message}` : 'does not render';
  const refused = app.refused?.[0];
  const counts = changeCounts(app) || 'changed';
  return refused ? `${counts}; the target would refuse ${refused.key}: ${refused.message}` : counts;
}

/** The dashboard's page of a preview. */
export function previewLink(dashboardUrl: string, id: string): string {
  return `${dashboardUrl}/previews/${encodeURIComponent(id)}`;
}
