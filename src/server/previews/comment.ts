import { formatIssue, type PreviewApp, type PreviewRecord } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import { CHANGE_ACTIONS, changeCounts, namesOf } from './summary.js';

/** The hidden first line that finds a preview's comment again on the next push. */
export function commentMarker(id: string): string {
  return `<!-- wheelhouse-preview ${id} -->`;
}

export interface CommentOptions {
  /** The forge's longest comment body, in characters. */
  limit: number;
  /** The dashboard's page of this preview, when its address is configured. */
  link?: string;
}

/**
 * A preview as one Markdown comment: a summary line, then per app a collapsible `<details>`
 * section with the resources created/configured/deleted and the (masked) field diff, or the
 * render problems at file:line. Over `limit`, the diffs are cut from the last app backwards and
 * the comment points to the dashboard for the rest; the summary and problems always stay.
 */
export function previewComment(record: PreviewRecord, options: CommentOptions): string {
  const { report } = record;
  const head = [
    commentMarker(record.id),
    `### Wheelhouse preview of \`${shortSha(report.revision)}\``,
    '',
    summaryLine(report.apps),
    ...(options.link ? ['', `[Open this preview on the dashboard](${options.link})`] : []),
    '',
  ].join('\n');
  const diffs = report.apps.map((app) => app.text);
  const render = (cut: readonly string[]) =>
    `${head}${report.apps.map((app, i) => section(app, cut[i] ?? '', app.text.length, options.link)).join('\n')}`;
  let body = render(diffs);
  // Cut diffs from the last app backwards until the body fits; each cut leaves a note and a link.
  for (let i = diffs.length - 1; i >= 0 && body.length > options.limit; i--) {
    const over = body.length - options.limit;
    const text = diffs[i] ?? '';
    diffs[i] = cutLines(text, Math.max(0, text.length - over - CUT_NOTE_ROOM));
    body = render(diffs);
  }
  if (body.length <= options.limit) return body;
  const tail = `\n\n… cut at the forge's ${options.limit} character limit${options.link ? `: [see the whole preview](${options.link})` : ''}.`;
  return body.slice(0, Math.max(0, options.limit - tail.length)) + tail;
}

/** Room for the note a cut diff ends with. */
const CUT_NOTE_ROOM = 400;

function summaryLine(apps: readonly PreviewApp[]): string {
  if (apps.length === 0) return 'This pull request changes no app Wheelhouse runs.';
  const of = (outcome: PreviewApp['outcome']) => apps.filter((a) => a.outcome === outcome).length;
  const parts = [
    of('changed') ? `${of('changed')} changed` : '',
    of('unchanged') ? `${of('unchanged')} unchanged` : '',
    of('failed') ? `**${of('failed')} failed to render**` : '',
  ].filter(Boolean);
  return `${apps.length} app${apps.length === 1 ? '' : 's'} touched: ${parts.join(', ')}.`;
}

function section(app: PreviewApp, diff: string, fullLength: number, link: string | undefined): string {
  const lines = [`<details><summary><b>${escapeHtml(app.app)}</b>: ${appSummary(app)}</summary>`, ''];
  if (app.outcome === 'failed') {
    lines.push('The head does not render:', '');
    for (const issue of app.issues) lines.push(`- \`${formatIssue(issue).replaceAll('`', "'")}\``);
  } else if (app.outcome === 'unchanged') {
    lines.push('The files changed, the rendered result did not.');
  } else {
    for (const action of CHANGE_ACTIONS) {
      const names = namesOf(app, action).map((name) => `\`${name}\``);
      if (names.length > 0) lines.push(`- ${action}: ${names.join(', ')}`);
    }
    if (app.refused?.length) {
      lines.push('', '**The target would refuse:**', '');
      for (const r of app.refused) lines.push(`- \`${r.key}\`: ${r.message.replace(/\s+/g, ' ')}`);
    }
    if (diff.length > 0) lines.push('', ...fenced(diff));
    if (diff.length < fullLength)
      lines.push('', `… diff cut to fit the comment${link ? `: [see the whole diff](${link})` : ''}.`);
  }
  lines.push('', '</details>', '');
  return lines.join('\n');
}

function appSummary(app: PreviewApp): string {
  const problems = app.issues.length;
  if (app.outcome === 'failed')
    return `**does not render** (${problems} problem${problems === 1 ? '' : 's'})`;
  const refused = app.refused?.length ? `, **${app.refused.length} refused by the target**` : '';
  return `${app.outcome === 'unchanged' ? 'unchanged' : changeCounts(app) || 'changed'}${refused}`;
}

/** A `diff` code block whose fence is longer than any backtick run inside. */
function fenced(text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}diff`, text.replace(/\n+$/, ''), fence];
}

/** The first lines of `text` that fit in `max` characters. */
function cutLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.lastIndexOf('\n', max);
  return end > 0 ? text.slice(0, end) : '';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
