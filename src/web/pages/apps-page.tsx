import { useEffect, useId, useState } from 'react';
import { useLiveEvents } from '../api/live-events.js';
import type { AppSummary, LiveEvent } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { HealthBadge, Marker, ResultBadge, SyncBadge } from '../components/badge.js';
import { Icon } from '../components/icon.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { ReplicaList } from '../components/replicas.js';
import { RelativeTime } from '../components/time.js';
import {
  type AppFilter,
  environmentsOf,
  filterApps,
  filterFromQuery,
  filterToQuery,
} from '../lib/filters.js';
import { actorLabel, shortSha } from '../lib/format.js';
import { paths } from '../lib/routes.js';
import { HEALTH_ORDER } from '../lib/status.js';
import { Link, useRouter } from '../router/router.js';

const REFRESH_ON = new Set([
  'app.updated',
  'sync.started',
  'sync.finished',
  'health.changed',
  'drift.detected',
  'source.updated',
  'audit.appended',
]);

export const refreshApps = (event: LiveEvent) => REFRESH_ON.has(event.type);

/** The live step of each app's running sync, from `sync.progress` events. */
function useProgress(): Map<string, string> {
  const [progress, setProgress] = useState(() => new Map<string, string>());
  useLiveEvents((event) => {
    if (!event.app) return;
    const app = event.app;
    if (event.type === 'sync.progress' && event.message) {
      setProgress((p) => new Map(p).set(app, event.message ?? ''));
    } else if (event.type === 'sync.finished') {
      setProgress((p) => {
        const next = new Map(p);
        next.delete(app);
        return next;
      });
    }
  });
  return progress;
}

function Summary({ apps }: { apps: readonly AppSummary[] }) {
  const healthy = apps.filter((a) => a.health.status === 'Healthy').length;
  const outOfSync = apps.filter((a) => a.syncStatus === 'OutOfSync').length;
  const degraded = apps.filter((a) => a.health.status === 'Degraded').length;
  return (
    <p className="summary">
      {apps.length} {apps.length === 1 ? 'app' : 'apps'}: {healthy} healthy
      {degraded > 0 ? `, ${degraded} degraded` : ''}
      {outOfSync > 0 ? `, ${outOfSync} out of sync` : ''}.
    </p>
  );
}

function Filters({
  filter,
  environments,
  onChange,
}: {
  filter: AppFilter;
  environments: string[];
  onChange: (f: AppFilter) => void;
}) {
  const id = useId();
  return (
    <search aria-label="Filter apps">
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-q`}>Filter</label>
          <input
            id={`${id}-q`}
            type="search"
            className="filter-text"
            placeholder="name, target, revision, commit…"
            value={filter.text}
            onChange={(e) => onChange({ ...filter, text: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-env`}>Environment</label>
          <select
            id={`${id}-env`}
            value={filter.environment}
            onChange={(e) => onChange({ ...filter, environment: e.target.value })}
          >
            <option value="">All environments</option>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-health`}>Health</label>
          <select
            id={`${id}-health`}
            value={filter.health}
            onChange={(e) => onChange({ ...filter, health: e.target.value })}
          >
            <option value="">Any health</option>
            <option value="attention">Needs attention</option>
            {HEALTH_ORDER.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </div>
      </form>
    </search>
  );
}

function AppRow({ app, progress }: { app: AppSummary; progress: string | undefined }) {
  const step = progress ?? app.operation?.message;
  return (
    <tr data-app={app.name}>
      <th scope="row" data-label="App">
        <Link to={paths.app(app.name)} className="app-name">
          {app.name}
        </Link>
        <span className="markers">
          {app.lock ? (
            <Marker icon="lock" label="locked" title={`Locked by ${app.lock.holder}: ${app.lock.reason}`} />
          ) : null}
          {app.pinnedRevision ? (
            <Marker
              icon="pin"
              label="pinned"
              title={`Pinned to ${shortSha(app.pinnedRevision)} until the next plain sync`}
            />
          ) : null}
          {!app.autoSync ? <span className="tag">manual sync</span> : null}
        </span>
      </th>
      <td data-label="Environment">{app.environment}</td>
      <td data-label="Target">{app.target}</td>
      <td data-label="Sync">
        <SyncBadge status={app.syncStatus} />
      </td>
      <td data-label="Health">
        <HealthBadge status={app.health.status} message={app.health.message} />
        {step ? (
          <span className="progress-line">
            <Icon name="spinner" className="spin" /> {step}
          </span>
        ) : null}
      </td>
      <td data-label="Revision" className="revision">
        <code>{shortSha(app.revision)}</code>
        {app.commitSubject ? <span className="subject">{app.commitSubject}</span> : null}
        {app.syncStatus === 'OutOfSync' && app.desiredRevision && app.desiredRevision !== app.revision ? (
          <span className="hint">Git has {shortSha(app.desiredRevision)}</span>
        ) : null}
      </td>
      <td data-label="Last sync" className="wide">
        {app.lastSync ? (
          <span className="last-sync">
            <ResultBadge result={app.lastSync.result} />
            <span>
              <RelativeTime iso={app.lastSync.finishedAt ?? app.lastSync.startedAt} /> by{' '}
              {actorLabel(app.lastSync.actor)}
            </span>
          </span>
        ) : (
          <span className="hint">never</span>
        )}
      </td>
    </tr>
  );
}

/** Every app at a glance: status as colour, icon and word; filters kept in the URL; live. */
export function AppsPage() {
  const { search, navigate, path } = useRouter();
  const filter = filterFromQuery(search);
  const { data, error, reload } = useFetch<{ apps: AppSummary[] }>('/api/v1/apps', refreshApps);
  const progress = useProgress();
  useEffect(() => {
    document.title = 'Apps · Wheelhouse';
  }, []);
  const apps = data?.apps ?? [];
  const shown = filterApps(apps, filter);
  const setFilter = (next: AppFilter) => navigate(`${path}${filterToQuery(next)}`, { replace: true });

  return (
    <>
      <div className="page-head">
        <h1>Apps</h1>
        {data ? <Summary apps={apps} /> : null}
      </div>
      <Filters filter={filter} environments={environmentsOf(apps)} onChange={setFilter} />
      {error ? (
        <ErrorNotice>
          Could not load the apps: {error.message}{' '}
          <button type="button" className="button button-quiet" onClick={reload}>
            Try again
          </button>
        </ErrorNotice>
      ) : null}
      {!data && !error ? <Loading what="apps" /> : null}
      {data ? (
        <div className="table-wrap">
          <table className="table apps-table">
            <caption className="visually-hidden">
              Apps, {shown.length} of {apps.length} shown
            </caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Environment</th>
                <th scope="col">Target</th>
                <th scope="col">Sync</th>
                <th scope="col">Health</th>
                <th scope="col">Revision</th>
                <th scope="col">Last sync</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((app) => (
                <AppRow key={app.name} app={app} progress={progress.get(app.name)} />
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? (
            <p className="empty">
              {apps.length === 0
                ? 'No apps yet: declare some in wheelhouse.yaml in the control repo.'
                : 'No app matches the filter.'}
            </p>
          ) : null}
        </div>
      ) : null}
      <ReplicaList />
    </>
  );
}
