import { WheelhouseError } from '../core/index.js';
import type { Actions } from './actions.js';
import type { DescribeAction } from './actions-types.js';

/** A mutating HTTP API call about to run (the shape of the server's `MutationRequest`). */
export interface GuardedMutation {
  actor: string;
  user: string;
  action: string;
  app: string;
  args: Record<string, unknown>;
}

/**
 * The HTTP API's guard for the mutating routes it runs itself (sync, refresh): the access
 * policy, the approval gate and locks of the actions service. Refusals throw FORBIDDEN / LOCKED /
 * NOT_FOUND; a request an approval rule covers is stored and throws APPROVAL_REQUIRED naming it.
 * The API audits the call itself. A dry run only reads, so it needs the read permission.
 */
export function createMutationGuard(
  actions: Actions,
  describe: DescribeAction,
): (request: GuardedMutation) => Promise<void> {
  return async (request) => {
    const dryRun = request.action === 'sync' && request.args.dryRun === true;
    const { dryRun: _ignored, ...rest } = request.args;
    const verdict = await actions.check({
      actor: request.actor,
      command: dryRun ? 'diff' : request.action,
      args: { ...rest, app: request.app },
      text: `${describe({ command: request.action, args: { ...rest, app: request.app } })}${dryRun ? ' (dry run)' : ''}`,
      platform: 'api',
      selfAudited: true,
    });
    if (verdict.status === 'allowed') return;
    if (verdict.status === 'awaiting-approval') {
      const { approval } = verdict;
      throw new WheelhouseError(
        'APPROVAL_REQUIRED',
        `${request.action} of ${request.app} needs ${approval.required} approval(s) in environment ${approval.environment}: request ${approval.id} waits; someone else with the approve permission runs \`approve ${approval.id}\` in chat, and it then runs as you`,
        { details: { app: request.app, approvalId: approval.id, expiresAt: approval.expiresAt } },
      );
    }
    const code = verdict.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : verdict.code;
    throw new WheelhouseError(code, verdict.reason, { details: { app: request.app } });
  };
}
