import { useCallback, useState } from 'react';
import { api, describeError } from './client.js';
import type { ActionAnswer } from './types.js';

export type ActionState =
  | { status: 'idle' }
  | { status: 'running'; what: string }
  | { status: 'done'; message: string }
  | { status: 'waiting'; message: string }
  | { status: 'error'; message: string };

/** Runs an action through `POST /api/v1/actions`: the access policy, approvals and locks apply. */
export function performAction(command: string, args: Record<string, unknown>): Promise<ActionAnswer> {
  return api.post<ActionAnswer>('/api/v1/actions', { command, args });
}

/** What an action's answer means for a person. */
export function describeAnswer(what: string, answer: ActionAnswer): ActionState {
  if (answer.status === 'awaiting-approval') {
    const who = answer.approvers.length > 0 ? ` (${answer.approvers.join(', ')} may approve)` : '';
    return {
      status: 'waiting',
      message: `${what} needs approval: request ${answer.approval.id} waits in the Approvals inbox for someone else${who}. It runs as you once approved.`,
    };
  }
  if (answer.status === 'failed' || !answer.outcome.ok) {
    return { status: 'error', message: `${what} failed: ${answer.outcome.summary}` };
  }
  return { status: 'done', message: answer.outcome.summary };
}

/** One action button's life: running → done / waiting for approval / error (what failed, what to do). */
export function useAction() {
  const [state, setState] = useState<ActionState>({ status: 'idle' });
  const run = useCallback(async (what: string, command: string, args: Record<string, unknown>) => {
    setState({ status: 'running', what });
    try {
      const answer = await performAction(command, args);
      setState(describeAnswer(what, answer));
    } catch (err) {
      setState({
        status: 'error',
        message: describeError(what.charAt(0).toLowerCase() + what.slice(1), err),
      });
    }
  }, []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, run, reset };
}
