import { useEffect } from 'react';
import { describeError, seg } from '../api/client.js';
import type { Preview } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ResultBadge } from '../components/badge.js';
import { CodeView } from '../components/code-view.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { RelativeTime } from '../components/time.js';
import { shortSha } from '../lib/format.js';
import { paths } from '../lib/routes.js';
import { Link } from '../router/router.js';

type PreviewApp = Preview['report']['apps'][number];
const ACTIONS = ['created', 'configured', 'deleted'] as const;

/** `2 changed, 1 does not render` for a report. */
function outcomeSummary(apps: readonly PreviewApp[]): string {
  if (apps.length === 0) return 'changes no app';
  const count = (outcome: PreviewApp['outcome']) => apps.filter((a) => a.outcome === outcome).length;
  return [
    count('changed') ? `${count('changed')} changed` : '',
    count('unchanged') ? `${count('unchanged')} unchanged` : '',
    count('failed') ? `${count('failed')} does not render` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Pull request previews, newest first: which request, its head, and how its apps came out. */
export function PreviewsPage() {
  const { data, error } = useFetch<{ previews: Preview[] }>('/api/v1/previews');
  useEffect(() => {
    document.title = 'Previews · Wheelhouse';
  }, []);
  const previews = data?.previews ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Previews</h1>
        <p className="summary">
          What open pull requests would change, rendered at their head and compared with what runs.
        </p>
      </div>
      {error ? <ErrorNotice>{describeError('load the previews', error)}</ErrorNotice> : null}
      {!data && !error ? <Loading what="previews" /> : null}
      {data && previews.length === 0 ? (
        <p className="hint">
          No previews yet: they are made when a forge sends a pull request webhook (see docs/previews.md).
        </p>
      ) : null}
      {previews.length > 0 ? (
        <table className="table" aria-label="Pull request previews">
          <thead>
            <tr>
              <th scope="col">Pull request</th>
              <th scope="col">Head</th>
              <th scope="col">Apps</th>
              <th scope="col">Result</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {previews.map((p) => (
              <tr key={p.id} data-preview={p.id}>
                <td>
                  <Link to={paths.preview(p.id)}>{p.title ? `${p.title} (${p.id})` : p.id}</Link>
                </td>
                <td>
                  <code>{shortSha(p.report.revision)}</code>
                </td>
                <td>{outcomeSummary(p.report.apps)}</td>
                <td>
                  <ResultBadge result={p.report.failed ? 'failed' : 'succeeded'} />
                </td>
                <td>
                  <RelativeTime iso={p.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function AppSection({ app }: { app: PreviewApp }) {
  return (
    <section className="card" aria-labelledby={`preview-app-${app.app}`} data-app={app.app}>
      <header className="approval-head">
        <h2 id={`preview-app-${app.app}`}>
          <Link to={paths.app(app.app)}>{app.app}</Link>
        </h2>
        <ResultBadge
          result={app.outcome === 'failed' ? 'failed' : app.outcome === 'changed' ? 'pending' : 'succeeded'}
        />
      </header>
      {app.outcome === 'unchanged' ? (
        <p className="hint">The files changed; the rendered result did not.</p>
      ) : null}
      {app.outcome === 'failed' ? (
        <>
          <p>The head does not render:</p>
          <ul>
            {app.issues.map((issue) => (
              <li key={`${issue.file}:${issue.line}:${issue.column}:${issue.path}`}>
                <code>
                  {issue.file}:{issue.line}:{issue.column}
                </code>{' '}
                {issue.path ? `${issue.path}: ` : ''}
                {issue.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {app.outcome === 'changed' ? (
        <>
          <ul>
            {ACTIONS.map((action) => {
              const names = app.changes.filter((c) => c.action === action).map((c) => `${c.kind}/${c.name}`);
              return names.length > 0 ? (
                <li key={action}>
                  {action}: {names.join(', ')}
                </li>
              ) : null;
            })}
          </ul>
          {app.refused?.length ? (
            <>
              <p>The target would refuse:</p>
              <ul>
                {app.refused.map((r) => (
                  <li key={r.key}>
                    <code>{r.key}</code> {r.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <CodeView text={app.text} label={`What the pull request would change in ${app.app}`} />
        </>
      ) : null}
    </section>
  );
}

/** One preview: per app, what the pull request's head would create, configure or delete, or why it does not render. */
export function PreviewPage({ id }: { id: string }) {
  const { data, error } = useFetch<Preview>(`/api/v1/previews/${seg(id)}`);
  useEffect(() => {
    document.title = `Preview ${id} · Wheelhouse`;
  }, [id]);
  if (error) return <ErrorNotice>{describeError(`load preview ${id}`, error)}</ErrorNotice>;
  if (!data) return <Loading what={`preview ${id}`} />;
  const { report } = data;
  return (
    <>
      <div className="page-head">
        <h1>{data.title ?? `Preview ${data.id}`}</h1>
        <p className="summary">
          {data.id} at <code>{shortSha(report.revision)}</code>: {outcomeSummary(report.apps)}.{' '}
          {data.url ? <a href={data.url}>Open the pull request</a> : null}
        </p>
        <p className="hint">
          Updated <RelativeTime iso={data.updatedAt} />. <Link to={paths.previews}>All previews</Link>
        </p>
      </div>
      {report.apps.map((app) => (
        <AppSection key={app.app} app={app} />
      ))}
    </>
  );
}
