import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/access/authorize.js';
import { commitAuthor, resolveIdentity, samePerson } from '../../src/access/identity.js';
import { checkPermission, holdersOf, permissionsOf } from '../../src/access/policy.js';
import type { AccessPolicy } from '../../src/core/index.js';
import { controlConfig } from '../support/control-config.js';

const issuePolicy: AccessPolicy = {
  roles: { deployer: ['read', 'sync', 'lock', 'write'], approver: ['read', 'approve'] },
  bindings: [
    {
      subjects: ['web:alice', 'slack:U123'],
      role: 'deployer',
      apps: ['*'],
      environments: ['dev', 'staging'],
    },
  ],
  defaultRole: 'viewer',
};
const people = controlConfig().people;
const dev = { name: 'web', environment: 'dev' };
const prod = { name: 'web-prod', environment: 'prod' };

describe('identities', () => {
  it('maps chat ids to people, and one person is the same on every platform', () => {
    const slack = resolveIdentity('slack:U123', people);
    const web = resolveIdentity('web:alice', people);
    expect(slack.person?.name).toBe('Alice');
    expect(slack.ids).toEqual(['slack:U123', 'web:alice']);
    expect(samePerson(slack, web)).toBe(true);
    expect(samePerson(slack, resolveIdentity('web:bob', people))).toBe(false);
  });

  it('gives the commit author from people, or an invalid-domain address for unmapped ids', () => {
    expect(commitAuthor(resolveIdentity('slack:U123', people))).toEqual({
      name: 'Alice',
      email: 'alice@example.com',
    });
    expect(commitAuthor(resolveIdentity('irc:carol', people))).toEqual({
      name: 'irc:carol',
      email: 'irc-carol@users.wheelhouse.invalid',
    });
  });

  it('treats only the token platforms’ admin user as admin', () => {
    expect(resolveIdentity('web:admin', []).admin).toBe(true);
    expect(resolveIdentity('api:admin', []).admin).toBe(true);
    expect(resolveIdentity('irc:admin', []).admin).toBe(false);
    expect(resolveIdentity('slack:admin', []).admin).toBe(false);
  });
});

describe('access policy', () => {
  it('grants a bound role only on matching apps and environments', () => {
    const alice = resolveIdentity('web:alice', people);
    expect(checkPermission(issuePolicy, people, alice, 'sync', dev).allowed).toBe(true);
    expect(checkPermission(issuePolicy, people, alice, 'sync', prod).allowed).toBe(false);
    expect(checkPermission(issuePolicy, people, alice, 'read', prod).allowed).toBe(true);
  });

  it('matches a binding through any id of the same person', () => {
    const policy: AccessPolicy = {
      ...issuePolicy,
      bindings: [{ role: 'deployer', apps: ['*'], environments: ['dev'], subjects: ['web:alice'] }],
    };
    const viaSlack = resolveIdentity('slack:U123', people);
    expect(checkPermission(policy, people, viaSlack, 'write', dev).allowed).toBe(true);
  });

  it('gives everyone the default role and nothing else', () => {
    const carol = resolveIdentity('web:carol', people);
    expect([...permissionsOf(issuePolicy, carol, dev)]).toEqual(['read']);
    const decision = checkPermission(issuePolicy, people, carol, 'write', dev);
    expect(decision.allowed).toBe(false);
  });

  it('names the missing permission and who holds it in a refusal', () => {
    const carol = resolveIdentity('web:carol', people);
    const decision = checkPermission(issuePolicy, people, carol, 'sync', dev);
    if (decision.allowed) throw new Error('expected a refusal');
    expect(decision.reason).toContain('lacks the sync permission');
    expect(decision.reason).toContain('app web (environment dev)');
    expect(decision.reason).toContain('Alice');
    expect(decision.holders).toEqual(['Alice', 'admin']);
    expect(holdersOf(issuePolicy, people, 'sync', prod)).toEqual(['admin']);
  });

  it('lets admin do everything', () => {
    const admin = resolveIdentity('web:admin', people);
    for (const permission of ['read', 'sync', 'lock', 'write', 'approve', 'admin'] as const) {
      expect(checkPermission(issuePolicy, people, admin, permission, prod).allowed).toBe(true);
    }
    const policy: AccessPolicy = { ...issuePolicy, roles: { ...issuePolicy.roles, ops: ['admin'] } };
    const bob = resolveIdentity('web:bob', people);
    const withBinding = {
      ...policy,
      bindings: [{ subjects: ['Bob'], role: 'ops', apps: [], environments: [] }],
    };
    expect(checkPermission(withBinding, people, bob, 'approve', prod).allowed).toBe(true);
  });

  it('supports globs in subjects and app names', () => {
    const policy: AccessPolicy = {
      roles: { ops: ['sync'] },
      bindings: [{ subjects: ['slack:*'], role: 'ops', apps: ['web*'], environments: ['*'] }],
      defaultRole: 'none',
    };
    const someone = resolveIdentity('slack:U999', []);
    expect(checkPermission(policy, [], someone, 'sync', prod).allowed).toBe(true);
    expect(checkPermission(policy, [], someone, 'sync', { name: 'api', environment: 'dev' }).allowed).toBe(
      false,
    );
    expect(checkPermission(policy, [], someone, 'read', prod).allowed).toBe(false);
  });
});

describe('authorize', () => {
  const config = controlConfig();

  it('is allowed, refused (with the permission) or needs approval', () => {
    const alice = resolveIdentity('web:alice', config.people);
    const carol = resolveIdentity('web:carol', config.people);
    expect(authorize(config, { identity: alice, command: 'scale', app: dev }).kind).toBe('allowed');
    const refused = authorize(config, { identity: carol, command: 'scale', app: dev });
    expect(refused.kind).toBe('refused');
    expect(refused.permission).toBe('write');
    const gated = authorize(config, { identity: alice, command: 'scale', app: prod });
    expect(gated.kind).toBe('needs-approval');
    if (gated.kind === 'needs-approval') expect(gated.rule.required).toBe(1);
  });

  it('never gates read commands or commands the rule does not list', () => {
    const alice = resolveIdentity('web:alice', config.people);
    expect(authorize(config, { identity: alice, command: 'status', app: prod }).kind).toBe('allowed');
    expect(authorize(config, { identity: alice, command: 'pause', app: prod }).kind).toBe('allowed');
    expect(authorize(config, { identity: alice, command: 'lock', app: prod }).kind).toBe('allowed');
  });

  it('needs admin to break a lock with --force', () => {
    const alice = resolveIdentity('web:alice', config.people);
    const forced = authorize(config, { identity: alice, command: 'unlock', app: dev, force: true });
    expect(forced).toMatchObject({ kind: 'refused', permission: 'admin' });
    const admin = resolveIdentity('web:admin', config.people);
    expect(authorize(config, { identity: admin, command: 'unlock', app: dev, force: true }).kind).toBe(
      'allowed',
    );
  });
});
