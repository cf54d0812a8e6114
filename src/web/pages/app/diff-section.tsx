import { seg } from '../../api/client.js';
import type { AppDiff, LiveEvent } from '../../api/types.js';
import { useFetch } from '../../api/use-fetch.js';
import { DiffLinesView } from '../../components/code-view.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { changeLines } from '../../lib/change-lines.js';
import { changeSummary, countChanges, shortSha } from '../../lib/format.js';

const SYMBOL: Readonly<Record<string, string>> = {
  created: '+',
  configured: '~',
  deleted: '-',
  unchanged: '=',
};

/** Desired (Git) against live (the target), per resource, as highlighted YAML. */
export function DiffSection({ app }: { app: string }) {
  const refresh = (e: LiveEvent) =>
    e.app === app && ['sync.finished', 'app.updated', 'drift.detected', 'health.changed'].includes(e.type);
  const { data, error } = useFetch<AppDiff>(
    `/api/v1/apps/${seg(app)}/diff`,
    (e) => refresh(e) || (e.type === 'source.updated' && (e.apps ?? []).includes(app)),
  );
  const changed = data?.changes.filter((c) => c.action !== 'unchanged') ?? [];
  return (
    <section aria-labelledby="diff-title" className="section">
      <h2 id="diff-title">Desired vs live</h2>
      {error ? <ErrorNotice>Could not compute the diff: {error.message}</ErrorNotice> : null}
      {!data && !error ? <Loading what="the diff" /> : null}
      {/* After a failed reload the earlier diff is stale (Git moved on): showing it would say "in sync". */}
      {data && !error ? (
        <>
          <p className="summary">
            Git at <code>{shortSha(data.revision)}</code> against what runs:{' '}
            {changed.length === 0
              ? 'in sync, nothing to apply.'
              : `${changeSummary(countChanges(data.changes))}.`}
          </p>
          {changed.map((change) => (
            <div key={change.key} className="diff-resource">
              <h3>
                <span className={`diff-symbol diff-${change.action}`} aria-hidden="true">
                  {SYMBOL[change.action]}
                </span>{' '}
                {change.kind} {change.name} <span className="hint">({change.action})</span>
              </h3>
              <DiffLinesView
                lines={changeLines(change)}
                label={`${change.kind} ${change.name}: live (−) against desired (+)`}
              />
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
