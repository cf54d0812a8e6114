import { useEffect, useId, useMemo, useState } from 'react';
import { useLiveEvents } from '../api/live-events.js';
import type { AppSummary, LiveEvent } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { ReplicaList } from '../components/replicas.js';
import {
  type AppFilter,
  environmentsOf,
  filterApps,
  filterFromQuery,
  filterToQuery,
} from '../lib/filters.js';
import { HEALTH_ORDER } from '../lib/status.js';
import { useRouter } from '../router/router.js';
import { AppsTable } from './apps/apps-table.js';

const REFRESH_ON = new Set([
  'app.updated',
  'sync.started',
  'sync.finished',
  'health.changed',
  'drift.detected',
  'source.updated',
  'audit.appended',
]);

const NO_APPS: AppSummary[] = [];

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

/** Every app at a glance: status as colour, icon and word; filters kept in the URL; live. */
export function AppsPage() {
  const { search, navigate, path } = useRouter();
  const filter = filterFromQuery(search);
  const { data, error, reload } = useFetch<{ apps: AppSummary[] }>('/api/v1/apps', refreshApps);
  const progress = useProgress();
  useEffect(() => {
    document.title = 'Apps · Wheelhouse';
  }, []);
  const apps = data?.apps ?? NO_APPS;
  const { text, environment, health } = filter;
  // Filtering 10,000 apps is a few milliseconds; memoised so scrolling and live progress skip it.
  const shown = useMemo(
    () => filterApps(apps, { text, environment, health }),
    [apps, text, environment, health],
  );
  const environments = useMemo(() => environmentsOf(apps), [apps]);
  const setFilter = (next: AppFilter) => navigate(`${path}${filterToQuery(next)}`, { replace: true });

  return (
    <>
      <div className="page-head">
        <h1>Apps</h1>
        {data ? <Summary apps={apps} /> : null}
      </div>
      <Filters filter={filter} environments={environments} onChange={setFilter} />
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
          <AppsTable shown={shown} total={apps.length} progress={progress} />
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
