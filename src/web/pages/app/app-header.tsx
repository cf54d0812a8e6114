import { useId, useState } from 'react';
import { useAction } from '../../api/actions.js';
import type { AppDetail } from '../../api/types.js';
import { ActionStatus } from '../../components/action-status.js';
import { HealthBadge, Marker, ResultBadge, SyncBadge } from '../../components/badge.js';
import { Icon } from '../../components/icon.js';
import { RelativeTime } from '../../components/time.js';
import { actorLabel, shortSha } from '../../lib/format.js';
import { paths } from '../../lib/routes.js';
import { syncPolicyTags } from '../../lib/sync-policy.js';
import { Link } from '../../router/router.js';

/** Name, where it runs, its status and revision, and the buttons that act on it. */
export function AppHeader({ app }: { app: AppDetail }) {
  const { state, run, reset } = useAction();
  const busy = state.status === 'running';
  return (
    <section className="app-head" aria-labelledby="app-title">
      <div className="app-title-row">
        <h1 id="app-title">{app.name}</h1>
        <span className="where">
          {app.environment} <span aria-hidden="true">→</span>
          <span className="visually-hidden">on target</span> {app.target}
        </span>
      </div>
      <div className="badges">
        <SyncBadge status={app.syncStatus} />
        <HealthBadge status={app.health.status} message={app.health.message} />
        {app.lock ? <Marker icon="lock" label="locked" /> : null}
        {app.pinnedRevision ? (
          <Marker icon="pin" label={`pinned to ${shortSha(app.pinnedRevision)}`} />
        ) : null}
        {syncPolicyTags({
          autoSync: app.autoSync,
          selfHeal: app.selfHeal,
          locked: app.lock !== undefined,
        }).map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      {app.health.message ? <p className="health-message">{app.health.message}</p> : null}
      <dl className="facts">
        <div>
          <dt>Revision</dt>
          <dd>
            <code>{shortSha(app.revision)}</code>{' '}
            {app.commitSubject ? <span className="subject">{app.commitSubject}</span> : null}
            {app.syncStatus === 'OutOfSync' && app.desiredRevision && app.desiredRevision !== app.revision ? (
              <span className="hint"> (Git has {shortSha(app.desiredRevision)})</span>
            ) : null}
          </dd>
        </div>
        {app.verified ? (
          <div>
            <dt>Signed by</dt>
            <dd>
              {app.verified.signer} <span className="hint">(verified {shortSha(app.verified.revision)})</span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Source</dt>
          <dd>
            <code>{app.source.repo}</code> @ {app.source.ref}, path <code>{app.source.path}</code>
          </dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>
            {app.lastSync ? (
              <>
                <ResultBadge result={app.lastSync.result} />{' '}
                <RelativeTime iso={app.lastSync.finishedAt ?? app.lastSync.startedAt} /> by{' '}
                {actorLabel(app.lastSync.actor)} at <code>{shortSha(app.lastSync.revision)}</code>
              </>
            ) : (
              'never'
            )}
          </dd>
        </div>
        {app.sourceError ? (
          <div className="fact-wide">
            <dt>Source error</dt>
            <dd className="error-text">
              cannot fetch since <RelativeTime iso={app.sourceError.since} />, showing the last fetched state:{' '}
              {app.sourceError.message}
            </dd>
          </div>
        ) : null}
        {app.renderError ? (
          <div className="fact-wide" data-testid="render-error">
            <dt>Render failed at {shortSha(app.renderError.revision)}</dt>
            <dd className="error-text render-error">{app.renderError.message}</dd>
          </div>
        ) : app.lastError ? (
          <div className="fact-wide">
            <dt>Last error</dt>
            <dd className="error-text">
              {app.lastError.message} (<RelativeTime iso={app.lastError.at} />)
            </dd>
          </div>
        ) : null}
        {app.dependsOn?.length ? (
          <div data-testid="depends-on">
            <dt>Depends on</dt>
            <dd>
              {app.dependsOn.map((name, i) => (
                <span key={name}>
                  {i > 0 ? ', ' : ''}
                  <Link to={paths.app(name)}>{name}</Link>
                </span>
              ))}
            </dd>
          </div>
        ) : null}
        {app.waiting ? (
          <div className="fact-wide" data-testid="dependency-wait">
            <dt>
              {app.waiting.blocked ? 'Blocked' : 'Waiting'} since <RelativeTime iso={app.waiting.since} />
            </dt>
            <dd className={app.waiting.blocked ? 'error-text' : ''}>{app.waiting.reason}</dd>
          </div>
        ) : null}
        {app.renderWarnings?.length ? (
          <div className="fact-wide" data-testid="render-warnings">
            <dt>Render warnings</dt>
            {app.renderWarnings.map((w) => (
              <dd key={`${w.file}:${w.message}`}>
                {w.file}: {w.message}
              </dd>
            ))}
          </div>
        ) : null}
      </dl>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => run(`Sync ${app.name}`, 'sync', { app: app.name })}
        >
          <Icon name="sync" /> Sync now
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => run(`Refresh ${app.name}`, 'refresh', { app: app.name })}
        >
          <Icon name="git" /> Refresh from Git
        </button>
        <LockControl app={app} />
      </div>
      <ActionStatus state={state} onDismiss={reset} />
    </section>
  );
}

/** Lock with a reason, or unlock: through the actions API like every change. */
function LockControl({ app }: { app: AppDetail }) {
  const { state, run, reset } = useAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const id = useId();
  if (app.lock) {
    return (
      <>
        <button
          type="button"
          className="button"
          disabled={state.status === 'running'}
          onClick={() => run(`Unlock ${app.name}`, 'unlock', { app: app.name })}
        >
          <Icon name="lock" /> Unlock
        </button>
        <ActionStatus state={state} onDismiss={reset} />
      </>
    );
  }
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        <Icon name="lock" /> Lock…
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(`Lock ${app.name}`, 'lock', { app: app.name, ...(reason ? { reason } : {}) }).then(() =>
          setOpen(false),
        );
      }}
    >
      <label htmlFor={id}>Reason</label>
      <input
        id={id}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="why (shown to others)"
      />
      <button type="submit" className="button">
        Lock
      </button>
      <button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <ActionStatus state={state} onDismiss={reset} />
    </form>
  );
}

/** Who holds the lock, since when and why. */
export function LockBanner({ lock }: { lock: NonNullable<AppDetail['lock']> }) {
  return (
    <section className="lock-banner" aria-label="Lock">
      <Icon name="lock" />
      <p>
        <strong>Locked by {lock.holder}</strong> since <RelativeTime iso={lock.createdAt} />
        {lock.reason ? <>: {lock.reason}</> : null}. Auto-sync is stopped, and only the holder can change this
        app until it is unlocked.
      </p>
    </section>
  );
}
