import { useState } from 'react';
import { useLiveEvents } from '../../api/live-events.js';
import type { Operation } from '../../api/types.js';
import { Icon } from '../../components/icon.js';
import { RelativeTime } from '../../components/time.js';
import { shortSha } from '../../lib/format.js';

interface Running {
  syncId: string;
  revision?: string;
  actor?: string;
  startedAt: string;
  steps: string[];
}

/** The operation in progress, step by step, from the live events (and the app's status on load). */
export function OperationProgress({ app, operation }: { app: string; operation: Operation | undefined }) {
  const [live, setLive] = useState<Running | undefined>();
  const [finished, setFinished] = useState<{ result: string; syncId: string } | undefined>();
  useLiveEvents((event) => {
    if (event.app !== app || !event.syncId) return;
    const syncId = event.syncId;
    if (event.type === 'sync.started') {
      setFinished(undefined);
      setLive({
        syncId,
        ...(event.revision ? { revision: event.revision } : {}),
        ...(event.actor ? { actor: event.actor } : {}),
        startedAt: event.at,
        steps: [],
      });
    } else if (event.type === 'sync.progress' && event.message) {
      const message = event.message;
      setLive((r) =>
        r && r.syncId === syncId
          ? { ...r, steps: [...r.steps, message].slice(-8) }
          : { syncId, startedAt: event.at, steps: [message] },
      );
    } else if (event.type === 'sync.finished') {
      setLive((r) => (r?.syncId === syncId ? undefined : r));
      setFinished({ result: event.result ?? 'finished', syncId });
    }
  });
  const running: Running | undefined =
    live ??
    (operation
      ? { syncId: operation.syncId, startedAt: operation.startedAt, steps: [operation.message] }
      : undefined);
  if (!running) {
    return finished ? (
      <p className="operation-done" role="status">
        Last operation {finished.result}.
      </p>
    ) : null;
  }
  return (
    <section className="operation" aria-label="Operation in progress" aria-live="polite">
      <h2>
        <Icon name="spinner" className="spin" /> Syncing
        {running.revision ? ` to ${shortSha(running.revision)}` : ''}
      </h2>
      <p className="hint">
        Started <RelativeTime iso={running.startedAt} />
        {running.actor ? ` by ${running.actor}` : ''}.
      </p>
      <progress aria-label="Sync progress" />
      <ol className="steps">
        {running.steps.map((step, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps only grow at the end
          <li key={i}>{step}</li>
        ))}
      </ol>
    </section>
  );
}
