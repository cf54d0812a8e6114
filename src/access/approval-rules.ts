import type { Approval, ApprovalRule, ChatOrigin } from '../core/index.js';
import { matchesAny } from '../util/glob.js';
import type { AppScope } from './policy.js';

/**
 * The approval rule that gates a command on an app, if any. Empty lists mean "every". When
 * several rules match, the strictest wins: the most approvals, then the shortest expiry.
 */
export function findApprovalRule(
  rules: readonly ApprovalRule[],
  command: string,
  app: AppScope,
): ApprovalRule | undefined {
  let best: ApprovalRule | undefined;
  for (const rule of rules) {
    if (rule.required <= 0) continue;
    if (rule.commands.length > 0 && !matchesAny(rule.commands, command)) continue;
    if (rule.apps.length > 0 && !matchesAny(rule.apps, app.name)) continue;
    if (rule.environments.length > 0 && !matchesAny(rule.environments, app.environment)) continue;
    if (
      !best ||
      rule.required > best.required ||
      (rule.required === best.required && rule.expiresAfterMs < best.expiresAfterMs)
    ) {
      best = rule;
    }
  }
  return best;
}

export interface NewApprovalInput {
  id: string;
  rule: ApprovalRule;
  app: AppScope;
  command: string;
  args: Record<string, unknown>;
  text: string;
  requester: string;
  now: Date;
  origin?: ChatOrigin;
  preview?: string;
}

export function newApproval(input: NewApprovalInput): Approval {
  return {
    id: input.id,
    app: input.app.name,
    environment: input.app.environment,
    command: input.command,
    args: input.args,
    text: input.text,
    requester: input.requester,
    required: input.rule.required,
    createdAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.rule.expiresAfterMs).toISOString(),
    status: 'pending',
    decisions: [],
    ...(input.origin ? { origin: input.origin } : {}),
    ...(input.preview ? { preview: input.preview } : {}),
  };
}

export function isExpired(approval: Approval, now: Date): boolean {
  return Date.parse(approval.expiresAt) <= now.getTime();
}
