import { useEffect } from 'react';
import { seg } from '../api/client.js';
import type { AppDetail, LiveEvent } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { paths } from '../lib/routes.js';
import { Link } from '../router/router.js';
import { AppHeader, LockBanner } from './app/app-header.js';
import { DiffSection } from './app/diff-section.js';
import { HistorySection } from './app/history-section.js';
import { LogsSection } from './app/logs-section.js';
import { OperationProgress } from './app/operation-progress.js';
import { ResourcesSection } from './app/resources-section.js';

/** One app: status, lock, the running operation, resources, diff, history with rollback, logs. */
export function AppPage({ name }: { name: string }) {
  const about = (e: LiveEvent) =>
    e.app === name ||
    (e.type === 'source.updated' && (e.apps ?? []).includes(name)) ||
    (e.type === 'audit.appended' && e.entry?.app === name);
  const { data: app, error } = useFetch<AppDetail>(`/api/v1/apps/${seg(name)}`, about);
  useEffect(() => {
    document.title = `${name} · Wheelhouse`;
  }, [name]);

  if (error && !app) {
    return (
      <>
        <h1>{name}</h1>
        <ErrorNotice>
          Could not load {name}: {error.message} <Link to={paths.apps}>Back to all apps</Link>
        </ErrorNotice>
      </>
    );
  }
  if (!app) return <Loading what={name} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.apps}>Apps</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{name}</span>
      </nav>
      <AppHeader app={app} />
      {app.lock ? <LockBanner lock={app.lock} /> : null}
      <OperationProgress app={name} operation={app.operation} />
      <ResourcesSection resources={app.resources} />
      <DiffSection app={name} />
      <HistorySection app={name} running={app.revision} desired={app.desiredRevision} />
      <LogsSection app={name} resources={app.resources} />
    </>
  );
}
