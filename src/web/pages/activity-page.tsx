import { useEffect, useId, useState } from 'react';
import type { AppSummary, LiveEvent, TimelineItem } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ResultBadge } from '../components/badge.js';
import { type AnyIcon, Icon } from '../components/icon.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { RelativeTime } from '../components/time.js';
import { readableCommand } from '../lib/command-text.js';
import { ACTIVITY_GROUPS, type ActivityGroup, activityGroupOf, filterActivity } from '../lib/filters.js';
import { actorLabel, changeSummary, formatDuration, shortSha } from '../lib/format.js';
import { paths, withQuery } from '../lib/routes.js';
import { Link, useRouter } from '../router/router.js';

const REFRESH_ON = new Set(['audit.appended', 'sync.finished', 'sync.started', 'source.updated']);
const GROUP_LABELS: Readonly<Record<ActivityGroup, string>> = {
  commits: 'Commits',
  syncs: 'Syncs',
  commands: 'Commands',
  approvals: 'Approvals',
  refusals: 'Refusals',
  other: 'Other',
};
const ICONS: Readonly<Record<string, AnyIcon>> = {
  commit: 'git',
  sync: 'sync',
  command: 'chat',
  webhook: 'hook',
  approval: 'clock',
  refusal: 'ban',
  session: 'user',
  audit: 'user',
};
const KIND_LABELS: Readonly<Record<string, string>> = {
  commit: 'Commit',
  sync: 'Sync',
  command: 'Command',
  webhook: 'Webhook',
  approval: 'Approval',
  refusal: 'Refused',
  session: 'Session',
  audit: 'Audit',
};

function AppLinks({ apps }: { apps: readonly string[] }) {
  return (
    <>
      {apps.map((app, i) => (
        <span key={app}>
          {i > 0 ? ', ' : ''}
          <Link to={paths.app(app)}>{app}</Link>
        </span>
      ))}
    </>
  );
}

function Describe({ item }: { item: TimelineItem }) {
  switch (item.kind) {
    case 'commit':
      return (
        <>
          <code>{shortSha(item.sha)}</code> <strong className="subject">{item.subject}</strong> by{' '}
          {item.author}
          {item.apps && item.apps.length > 0 ? (
            <>
              {' '}
              · changes <AppLinks apps={item.apps} />
            </>
          ) : null}
        </>
      );
    case 'sync':
      return (
        <>
          {item.dryRun ? 'Dry run of ' : 'Sync of '}
          {item.app ? <Link to={paths.app(item.app)}>{item.app}</Link> : null} to{' '}
          <code>{shortSha(item.revision)}</code> <ResultBadge result={item.result} /> by{' '}
          {actorLabel(item.actor)} ({item.trigger}
          {item.durationMs !== undefined ? `, ${formatDuration(item.durationMs)}` : ''})
          {item.changes ? <span className="hint"> · {changeSummary(item.changes)}</span> : null}
        </>
      );
    case 'session':
      return (
        <>
          <strong>{actorLabel(item.actor)}</strong>{' '}
          {item.action === 'session.signout' ? 'signed out of the dashboard' : 'signed in to the dashboard'}
        </>
      );
    default:
      return (
        <>
          <strong>{actorLabel(item.actor)}</strong>{' '}
          {item.text ? (
            <code className="said">{readableCommand(item.text)}</code>
          ) : item.action === 'supervisor.restart' && item.result ? (
            item.result
          ) : (
            item.action
          )}
          {item.app ? (
            <>
              {' '}
              on <Link to={paths.app(item.app)}>{item.app}</Link>
            </>
          ) : null}
          {item.decision ? (
            <>
              {' '}
              <ResultBadge result={item.decision} />
            </>
          ) : null}
          {item.result ? <span className="result-text"> {item.result}</span> : null}
        </>
      );
  }
}

/** One timeline of commits, syncs, chat commands, approvals and refusals; filter by app, person, kind. */
export function ActivityPage() {
  const { search, navigate, path } = useRouter();
  const params = new URLSearchParams(search);
  const app = params.get('app') ?? '';
  const person = params.get('person') ?? '';
  const [personInput, setPersonInput] = useState(person);
  const [shown, setShown] = useState<Set<ActivityGroup>>(
    () => new Set(Object.keys(ACTIVITY_GROUPS) as ActivityGroup[]),
  );
  const id = useId();
  const apps = useFetch<{ apps: AppSummary[] }>('/api/v1/apps');
  const { data, error } = useFetch<{ items: TimelineItem[] }>(
    withQuery('/api/v1/timeline', { app, person, limit: '200' }),
    (e: LiveEvent) => REFRESH_ON.has(e.type),
  );
  useEffect(() => {
    document.title = 'Activity · Wheelhouse';
  }, []);
  useEffect(() => setPersonInput(person), [person]);
  const setQuery = (next: { app?: string; person?: string }) =>
    navigate(withQuery(path, { app, person, ...next }), { replace: true });
  const items = filterActivity(data?.items ?? [], shown);

  return (
    <>
      <div className="page-head">
        <h1>Activity</h1>
        <p className="summary">Commits, syncs, commands, approvals and refusals, newest first.</p>
      </div>
      <search aria-label="Filter activity">
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ person: personInput.trim() });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-app`}>App</label>
            <select id={`${id}-app`} value={app} onChange={(e) => setQuery({ app: e.target.value })}>
              <option value="">All apps</option>
              {(apps.data?.apps ?? []).map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-person`}>Person</label>
            <input
              id={`${id}-person`}
              type="search"
              placeholder="alice, slack:U123, alice@example.com"
              value={personInput}
              onChange={(e) => setPersonInput(e.target.value)}
              onBlur={() => personInput.trim() !== person && setQuery({ person: personInput.trim() })}
            />
          </div>
          <fieldset className="kinds">
            <legend>Show</legend>
            {(Object.keys(ACTIVITY_GROUPS) as ActivityGroup[]).map((group) => (
              <label key={group} className="check">
                <input
                  type="checkbox"
                  checked={shown.has(group)}
                  onChange={(e) => {
                    const next = new Set(shown);
                    if (e.target.checked) next.add(group);
                    else next.delete(group);
                    setShown(next);
                  }}
                />{' '}
                {GROUP_LABELS[group]}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="visually-hidden">
            Apply filters
          </button>
        </form>
      </search>
      {error ? <ErrorNotice>Could not load the activity: {error.message}</ErrorNotice> : null}
      {!data && !error ? <Loading what="activity" /> : null}
      {data && items.length === 0 ? <p className="empty">Nothing matches these filters yet.</p> : null}
      {items.length > 0 ? (
        <ol className="timeline" aria-label="Activity, newest first">
          {items.map((item) => (
            <li
              key={item.id}
              className="timeline-item"
              data-kind={item.kind}
              data-group={activityGroupOf(item.kind)}
            >
              <span className="timeline-icon" aria-hidden="true">
                <Icon name={ICONS[item.kind] ?? 'user'} />
              </span>
              <div className="timeline-body">
                <p className="timeline-meta">
                  <span className="kind">{KIND_LABELS[item.kind] ?? item.kind}</span> ·{' '}
                  <RelativeTime iso={item.at} />
                </p>
                <p className="timeline-text">
                  <Describe item={item} />
                </p>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}
