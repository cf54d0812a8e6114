import { useEffect, useId, useState } from 'react';
import type { ActionState } from '../api/actions.js';
import { api, describeError, seg } from '../api/client.js';
import type { Approval } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { ActionStatus } from '../components/action-status.js';
import { ResultBadge } from '../components/badge.js';
import { CodeView } from '../components/code-view.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { RelativeTime } from '../components/time.js';
import { readableCommand } from '../lib/command-text.js';
import { actorLabel } from '../lib/format.js';
import { paths } from '../lib/routes.js';
import { Link } from '../router/router.js';

const STATUSES = ['pending', 'executed', 'approved', 'denied', 'expired', 'failed'] as const;

interface DecisionAnswer {
  status: string;
  remaining?: number;
  run?: { status: string; outcome?: { summary: string }; reason?: string; approval?: { id: string } };
}

function describeDecision(
  decision: 'approve' | 'deny',
  approval: Approval,
  answer: DecisionAnswer,
): ActionState {
  if (decision === 'deny')
    return { status: 'done', message: `Denied request ${approval.id} (${readableCommand(approval.text)}).` };
  if (answer.status === 'recorded') {
    return { status: 'waiting', message: `Your approval is recorded; ${answer.remaining ?? 1} more needed.` };
  }
  const run = answer.run;
  if (run?.status === 'done')
    return {
      status: 'done',
      message: `Approved; it ran as ${approval.requester}: ${run.outcome?.summary ?? 'done'}`,
    };
  if (run?.status === 'failed')
    return {
      status: 'error',
      message: `Approved, but it failed: ${run.outcome?.summary ?? 'see the chat thread'}`,
    };
  if (run?.status === 'refused')
    return { status: 'error', message: `Approved, but it was refused when it ran: ${run.reason ?? ''}` };
  return { status: 'done', message: `Approved request ${approval.id}.` };
}

function ApprovalCard({
  approval,
  state,
  onState,
}: {
  approval: Approval;
  state: ActionState;
  onState: (approval: Approval, state: ActionState) => void;
}) {
  const [reason, setReason] = useState('');
  const id = useId();
  const decide = async (decision: 'approve' | 'deny') => {
    const what = decision === 'approve' ? `approve request ${approval.id}` : `deny request ${approval.id}`;
    onState(approval, {
      status: 'running',
      what: decision === 'approve' ? 'Approving and running it' : 'Denying',
    });
    try {
      const answer = await api.post<DecisionAnswer>(
        `/api/v1/approvals/${seg(approval.id)}/${decision}`,
        reason.trim() ? { reason: reason.trim() } : {},
      );
      onState(approval, describeDecision(decision, approval, answer));
    } catch (err) {
      onState(approval, { status: 'error', message: describeError(what, err) });
    }
  };
  const pending = approval.status === 'pending' && (state.status === 'idle' || state.status === 'error');
  const busy = state.status === 'running';
  return (
    <article className="card approval" aria-labelledby={`${id}-title`} data-approval={approval.id}>
      <header className="approval-head">
        <h2 id={`${id}-title`}>
          <code>{readableCommand(approval.text)}</code>
        </h2>
        <ResultBadge result={approval.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>App</dt>
          <dd>
            <Link to={paths.app(approval.app)}>{approval.app}</Link> ({approval.environment})
          </dd>
        </div>
        <div>
          <dt>Asked by</dt>
          <dd>
            {actorLabel(approval.requester)} <RelativeTime iso={approval.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Approvals</dt>
          <dd>
            {approval.approvals} of {approval.required}
            {approval.decisions.length > 0
              ? ` (${approval.decisions.map((d) => `${d.decision}d by ${actorLabel(d.actor)}`).join(', ')})`
              : ''}
          </dd>
        </div>
        <div>
          <dt>{pending ? 'Expires' : 'Request id'}</dt>
          <dd>{pending ? <RelativeTime iso={approval.expiresAt} /> : approval.id}</dd>
        </div>
      </dl>
      <h3 className="small-heading">What it would change</h3>
      {approval.preview ? (
        <CodeView text={approval.preview} label={`What request ${approval.id} would change`} />
      ) : (
        <p className="hint">
          No preview: it runs “{readableCommand(approval.text)}” as {actorLabel(approval.requester)}.
        </p>
      )}
      {pending && approval.mayDecide ? (
        <div className="decide">
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason (optional)</label>
            <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => decide('approve')}
          >
            Approve<span className="visually-hidden"> {readableCommand(approval.text)}</span>
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => decide('deny')}
          >
            Deny<span className="visually-hidden"> {readableCommand(approval.text)}</span>
          </button>
        </div>
      ) : null}
      {pending && approval.mine ? (
        <div className="decide">
          <p className="hint">Your request: someone else with the approve permission decides it.</p>
          <button type="button" className="button" disabled={busy} onClick={() => decide('deny')}>
            Withdraw
          </button>
        </div>
      ) : null}
      {pending && !approval.mine && !approval.mayDecide ? (
        <p className="hint">
          You may not decide this one (you lack the approve permission here, or decided it already).
        </p>
      ) : null}
      <ActionStatus state={state} />
    </article>
  );
}

/** Requests waiting for approval: what they would change, and Approve / Deny for those you may decide. */
export function ApprovalsPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('pending');
  const id = useId();
  const { data, error } = useFetch<{ approvals: Approval[] }>(`/api/v1/approvals?status=${status}`, (e) =>
    e.type.startsWith('approval.'),
  );
  useEffect(() => {
    document.title = 'Approvals · Wheelhouse';
  }, []);
  // Decisions made on this page stay in view with their outcome, also once the list no longer has them.
  const [decided, setDecided] = useState(() => new Map<string, { approval: Approval; state: ActionState }>());
  const onState = (approval: Approval, state: ActionState) =>
    setDecided((all) => new Map(all).set(approval.id, { approval, state }));
  const listed = [...(data?.approvals ?? [])].reverse();
  const gone = [...decided.values()]
    .filter((d) => !listed.some((a) => a.id === d.approval.id))
    .map((d) => d.approval);
  const approvals = [...gone, ...listed];
  const forMe = listed.filter((a) => a.mayDecide).length;
  return (
    <>
      <div className="page-head">
        <h1>Approvals</h1>
        <p className="summary">
          {status === 'pending'
            ? `${listed.length} waiting${forMe > 0 ? `, ${forMe} for your decision` : ''}.`
            : `${listed.length} ${status}.`}
        </p>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Which requests">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error ? <ErrorNotice>Could not load the approvals: {error.message}</ErrorNotice> : null}
      {!data && !error ? <Loading what="approvals" /> : null}
      {data && listed.length === 0 ? (
        <p className="empty">
          {status === 'pending' ? 'Nothing waits for approval.' : `No ${status} requests.`}
        </p>
      ) : null}
      <div className="cards">
        {approvals.map((approval) => (
          <ApprovalCard
            key={approval.id}
            approval={decided.get(approval.id)?.approval ?? approval}
            state={decided.get(approval.id)?.state ?? { status: 'idle' }}
            onState={onState}
          />
        ))}
      </div>
    </>
  );
}
