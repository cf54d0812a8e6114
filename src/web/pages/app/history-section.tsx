import { useEffect, useRef, useState } from 'react';
import { useAction } from '../../api/actions.js';
import { seg } from '../../api/client.js';
import type { Commit, LiveEvent, SyncRecord } from '../../api/types.js';
import { useFetch } from '../../api/use-fetch.js';
import { ActionStatus } from '../../components/action-status.js';
import { ResultBadge } from '../../components/badge.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { RelativeTime } from '../../components/time.js';
import {
  actorLabel,
  changeSummary,
  countChanges,
  durationBetween,
  formatDuration,
  shortSha,
} from '../../lib/format.js';
import { historyOffers } from '../../lib/history-offers.js';

type Pending = { kind: 'sync' | 'rollback'; revision: string } | undefined;

/** Syncs of the app, newest first, with "sync to this revision" and "roll back to here". */
export function HistorySection({
  app,
  running,
  desired,
}: {
  app: string;
  /** The revision the app runs (its last good sync). */
  running: string | undefined;
  /** The revision Git declares now. */
  desired: string | undefined;
}) {
  const mine = (e: LiveEvent) => e.app === app && (e.type === 'sync.finished' || e.type === 'sync.started');
  const history = useFetch<{ syncs: SyncRecord[] }>(`/api/v1/apps/${seg(app)}/history?limit=30`, mine);
  const commits = useFetch<{ commits: Commit[] }>(`/api/v1/apps/${seg(app)}/commits?limit=100`, (e) =>
    e.type === 'source.updated' ? (e.apps ?? []).includes(app) : mine(e),
  );
  const subjects = new Map((commits.data?.commits ?? []).map((c) => [c.sha, c.subject]));
  // The newest successful sync of the revision the app runs.
  const runsNowId = history.data?.syncs.find(
    (r) => r.revision === running && r.result === 'succeeded' && !r.dryRun,
  )?.id;
  // After a failed sync the last good revision is not cleanly what runs: it is the way back.
  const latestFailed = history.data?.syncs.find((r) => !r.dryRun)?.result === 'failed';
  const { state, run, reset } = useAction();
  const [pending, setPending] = useState<Pending>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The confirmation takes focus when it opens, so the keyboard is where the decision is.
    if (pending) confirmButton.current?.focus();
  }, [pending]);

  const confirm = () => {
    if (!pending) return;
    const short = shortSha(pending.revision);
    const action =
      pending.kind === 'sync'
        ? run(`Sync ${app} to ${short}`, 'sync', { app, revision: pending.revision })
        : run(`Roll back ${app} to ${short}`, 'rollback', { app, revision: pending.revision });
    setPending(undefined);
    void action;
  };

  return (
    <section aria-labelledby="history-title" className="section">
      <h2 id="history-title">History</h2>
      <p className="hint">
        “Sync to this revision” pins the app to it until the next plain sync. “Roll back to here” commits a
        revert in Git (as you), so Git stays the truth. Both go through the access policy and approvals.
      </p>
      <ActionStatus state={state} onDismiss={reset} />
      {pending ? (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">
            {pending.kind === 'sync'
              ? `Sync ${app} to ${shortSha(pending.revision)}? The app stays pinned there until a plain sync.`
              : `Roll back ${app} to ${shortSha(pending.revision)}? This commits a revert of the app's path to Git.`}
          </p>
          <button type="button" className="button button-primary" onClick={confirm} ref={confirmButton}>
            {pending.kind === 'sync' ? 'Sync to this revision' : 'Roll back'}
          </button>
          <button type="button" className="button button-quiet" onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      ) : null}
      {history.error ? <ErrorNotice>Could not load the history: {history.error.message}</ErrorNotice> : null}
      {!history.data && !history.error ? <Loading what="history" /> : null}
      {history.data && history.data.syncs.length === 0 ? <p className="empty">No syncs yet.</p> : null}
      {history.data && history.data.syncs.length > 0 ? (
        <div className="table-wrap">
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Revision</th>
                <th scope="col">Actor</th>
                <th scope="col">Result</th>
                <th scope="col">Took</th>
                <th scope="col">Change set</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.syncs.map((record) => {
                const short = shortSha(record.revision);
                const runsNow = record.id === runsNowId;
                const { sync: canSync, rollBack: canRollBack } = historyOffers(record, {
                  running,
                  desired,
                  latestFailed,
                });
                const offer = canSync || canRollBack;
                return (
                  <tr key={record.id} data-revision={record.revision}>
                    <td data-label="When">
                      <RelativeTime iso={record.startedAt} />
                      <span className="hint">
                        {' '}
                        {record.trigger}
                        {record.dryRun ? ', dry run' : ''}
                      </span>
                    </td>
                    <th scope="row" data-label="Revision" className="revision">
                      <code>{short}</code>
                      {subjects.get(record.revision) ? (
                        <span className="subject">{subjects.get(record.revision)}</span>
                      ) : null}
                      {runsNow ? (
                        <span className="tag">{latestFailed ? 'last good' : 'runs now'}</span>
                      ) : null}
                    </th>
                    <td data-label="Actor">{actorLabel(record.actor)}</td>
                    <td data-label="Result">
                      <ResultBadge result={record.result} />
                    </td>
                    <td data-label="Took">
                      {formatDuration(durationBetween(record.startedAt, record.finishedAt))}
                    </td>
                    <td data-label="Change set">
                      <details>
                        <summary>{changeSummary(countChanges(record.changeSet))}</summary>
                        <ul className="change-list">
                          {record.changeSet.map((c) => (
                            <li key={c.key}>
                              {c.action} {c.kind} {c.name}
                            </li>
                          ))}
                          {record.messages.map((m, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: a record's messages never change
                            <li key={`m${i}`} className="hint">
                              {m}
                            </li>
                          ))}
                        </ul>
                      </details>
                    </td>
                    <td data-label="Actions" className="row-actions">
                      {offer ? (
                        <>
                          {canSync ? (
                            <button
                              type="button"
                              className="button button-small"
                              disabled={state.status === 'running'}
                              onClick={() => setPending({ kind: 'sync', revision: record.revision })}
                            >
                              Sync to this revision<span className="visually-hidden"> ({short})</span>
                            </button>
                          ) : null}
                          {canRollBack ? (
                            <button
                              type="button"
                              className="button button-small"
                              disabled={state.status === 'running'}
                              onClick={() => setPending({ kind: 'rollback', revision: record.revision })}
                            >
                              Roll back to here<span className="visually-hidden"> ({short})</span>
                            </button>
                          ) : null}
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
