import { memo } from 'react';
import type { AppSummary } from '../../api/types.js';
import { HealthBadge, Marker, ResultBadge, SyncBadge } from '../../components/badge.js';
import { Icon } from '../../components/icon.js';
import { RelativeTime } from '../../components/time.js';
import { actorLabel, shortSha } from '../../lib/format.js';
import { paths } from '../../lib/routes.js';
import { Link } from '../../router/router.js';

/** One app as a row of the apps table: name and markers, where it runs, status, revision, last sync. */
function AppRowView({
  app,
  index,
  pinned = false,
  progress,
}: {
  app: AppSummary;
  /** `aria-rowindex`: the row's position in the whole (filtered) table, the header being 1. */
  index: number;
  /** Kept outside the rendered window because it holds focus (left out of row measuring). */
  pinned?: boolean;
  progress: string | undefined;
}) {
  const step = progress ?? app.operation?.message;
  return (
    <tr data-app={app.name} aria-rowindex={index} {...(pinned ? { 'data-pinned': '' } : {})}>
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

/** Memoised: while scrolling, rows that stay in view are not rendered again. */
export const AppRow = memo(AppRowView);
