import { describe, expect, it } from 'vitest';
import { checkDecision, distinctApprovers } from '../../src/access/approval-decision.js';
import { findApprovalRule, newApproval } from '../../src/access/approval-rules.js';
import { resolveIdentity } from '../../src/access/identity.js';
import { checkLock } from '../../src/access/locks.js';
import type { Approval, ApprovalRule } from '../../src/core/index.js';
import { controlConfig } from '../support/control-config.js';

const people = controlConfig().people;
const rule = (over: Partial<ApprovalRule> = {}): ApprovalRule => ({
  environments: ['prod'],
  apps: [],
  commands: ['scale'],
  required: 2,
  expiresAfterMs: 60_000,
  ...over,
});
const t0 = new Date('2030-01-01T00:00:00Z');

function request(required = 2): Approval {
  return newApproval({
    id: 'a1',
    rule: rule({ required }),
    app: { name: 'web-prod', environment: 'prod' },
    command: 'scale',
    args: { app: 'web-prod', process: 'web', replicas: 3 },
    text: 'scale web-prod web 3',
    requester: 'web:alice',
    now: t0,
  });
}

const withDecision = (a: Approval, actor: string, decision: 'approve' | 'deny' = 'approve'): Approval => ({
  ...a,
  decisions: [...a.decisions, { actor, decision, at: t0.toISOString() }],
});

describe('approval rules', () => {
  it('match by environment, app and command; the strictest wins', () => {
    const rules = [rule(), rule({ required: 3, apps: ['web*'] }), rule({ environments: ['dev'] })];
    expect(findApprovalRule(rules, 'scale', { name: 'web-prod', environment: 'prod' })?.required).toBe(3);
    expect(findApprovalRule(rules, 'scale', { name: 'api', environment: 'prod' })?.required).toBe(2);
    expect(findApprovalRule(rules, 'sync', { name: 'api', environment: 'prod' })).toBeUndefined();
    expect(findApprovalRule(rules, 'scale', { name: 'api', environment: 'staging' })).toBeUndefined();
  });

  it('take globs in commands, as the configuration defaults write them', () => {
    const every = [rule({ commands: ['*'], environments: ['*'], apps: ['*'] })];
    expect(findApprovalRule(every, 'promote', { name: 'api', environment: 'dev' })?.required).toBe(2);
  });

  it('compute the expiry from the rule', () => {
    expect(request().expiresAt).toBe('2030-01-01T00:01:00.000Z');
    expect(request().status).toBe('pending');
  });
});

describe('approval decisions', () => {
  const bob = resolveIdentity('web:bob', people);
  const carol = resolveIdentity('web:carol', people);

  it('refuse self-approval, also from another platform of the same person', () => {
    for (const actor of ['web:alice', 'slack:U123']) {
      const check = checkDecision(request(), resolveIdentity(actor, people), 'approve', people, t0);
      expect(check.outcome).toBe('refused');
      if (check.outcome === 'refused') expect(check.reason).toContain('cannot approve');
    }
  });

  it('let the requester withdraw with deny', () => {
    const check = checkDecision(request(), resolveIdentity('web:alice', people), 'deny', people, t0);
    expect(check).toMatchObject({ outcome: 'accepted', next: 'denied' });
  });

  it('count one person once', () => {
    const once = withDecision(request(), 'web:bob');
    expect(checkDecision(once, bob, 'approve', people, t0).outcome).toBe('refused');
    const twoIds = withDecision(withDecision(request(3), 'web:carol'), 'web:dave');
    expect(distinctApprovers(twoIds, people)).toHaveLength(2);
  });

  it('approve once enough distinct people did', () => {
    expect(checkDecision(request(), bob, 'approve', people, t0)).toMatchObject({
      next: 'pending',
      approvals: 1,
    });
    expect(checkDecision(withDecision(request(), 'web:bob'), carol, 'approve', people, t0)).toMatchObject({
      next: 'approved',
      approvals: 2,
    });
  });

  it('treat an expired request as denied and a decided one as closed', () => {
    const late = new Date(t0.getTime() + 60_000);
    expect(checkDecision(request(), bob, 'approve', people, late).outcome).toBe('expired');
    expect(checkDecision({ ...request(), status: 'denied' }, bob, 'approve', people, t0).outcome).toBe(
      'refused',
    );
  });
});

describe('locks', () => {
  const lock = { app: 'web', holder: 'web:alice', reason: 'db migration', createdAt: t0.toISOString() };

  it('let the holder (on any platform) through and refuse everyone else, naming the holder', () => {
    expect(checkLock(undefined, resolveIdentity('web:bob', people), people, 'web').ok).toBe(true);
    expect(checkLock(lock, resolveIdentity('slack:U123', people), people, 'web').ok).toBe(true);
    const refused = checkLock(lock, resolveIdentity('web:bob', people), people, 'web');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.reason).toContain('locked by Alice (web:alice)');
      expect(refused.reason).toContain('db migration');
      expect(refused.reason).toContain('unlock web --force');
    }
  });
});
