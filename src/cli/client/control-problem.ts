import { type ControlStatus, WheelhouseError } from '../../core/index.js';
import type { ClientContext } from './context.js';

/**
 * The first thing `apps` and `status` say when the newest wheelhouse.yaml is not in force: the
 * problem with file:line:col and the revision still in force. With none in force there is nothing
 * to list: that fails (exit 1) with the reason, also under `--json` (after printing the body).
 */
export function reportControl(ctx: ClientContext, control: ControlStatus | undefined): void {
  if (!control) return; // a server from before `control` was reported
  if (control.revision === undefined) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `no apps are loaded: ${control.problem?.message ?? `wheelhouse.yaml from ${control.repo} at ${control.ref} is still loading; try again in a moment`}`,
    );
  }
  if (control.problem && !ctx.json) ctx.out.line(ctx.out.color.red(control.problem.message));
}
