import { afterEach, describe, expect, it } from 'vitest';
import {
  checkActor,
  commitAuthor,
  forgetGroups,
  groupsOf,
  rememberGroups,
  resolveIdentity,
} from '../../src/access/index.js';
import { controlConfig } from '../support/control-config.js';

describe('people from single sign-on and group subjects', () => {
  const config = controlConfig({
    access: {
      roles: { deployer: ['read', 'sync'], viewer: ['read'] },
      bindings: [{ subjects: ['group:platform-*'], role: 'deployer', apps: ['web'], environments: ['*'] }],
      defaultRole: 'viewer',
    },
  });
  afterEach(() => {
    forgetGroups('oidc:alice@example.com', 'web:s1');
    forgetGroups('oidc:dave@example.com', 'web:s1');
    forgetGroups('oidc:dave@example.com', 'cli:f1');
  });

  it('maps an SSO person to people by email, so commits carry their name', () => {
    const identity = resolveIdentity('oidc:Alice@Example.com', config.people);
    expect(identity.person?.name).toBe('Alice');
    expect(commitAuthor(identity)).toEqual({ name: 'Alice', email: 'alice@example.com' });
    expect(resolveIdentity('oidc:dave@example.com', config.people).person).toBeUndefined();
  });

  it('grants a binding’s role to members of its group, only on its apps, and names the group to others', () => {
    rememberGroups('oidc:dave@example.com', ['platform-team'], 'web:s1');
    expect(
      checkActor(config.access, config.people, 'oidc:dave@example.com', 'sync', {
        name: 'web',
        environment: 'dev',
      }),
    ).toMatchObject({ allowed: true, via: 'role deployer' });
    expect(
      checkActor(config.access, config.people, 'oidc:dave@example.com', 'sync', {
        name: 'web-prod',
        environment: 'prod',
      }),
    ).toMatchObject({ allowed: false });
    const refused = checkActor(config.access, config.people, 'oidc:alice@example.com', 'sync', {
      name: 'web',
      environment: 'dev',
    });
    expect(refused).toMatchObject({
      allowed: false,
      permission: 'sync',
      holders: ['group:platform-*', 'admin'],
    });
    forgetGroups('oidc:dave@example.com', 'web:s1');
    expect(
      checkActor(config.access, config.people, 'oidc:dave@example.com', 'sync', {
        name: 'web',
        environment: 'dev',
      }).allowed,
    ).toBe(false);
  });

  it('does not let a chat user whose id looks like a group claim membership', () => {
    // Groups come only from a provider's sign-in; an actor id spelled group:x is just an actor.
    expect(
      checkActor(config.access, config.people, 'group:platform-team', 'sync', {
        name: 'web',
        environment: 'dev',
      }).allowed,
    ).toBe(false);
  });

  it('keeps the groups of a live CLI login when the dashboard session ends; the newest sign-in counts', () => {
    const dave = 'oidc:dave@example.com';
    const mayDeploy = () =>
      checkActor(config.access, config.people, dave, 'sync', { name: 'web', environment: 'dev' }).allowed;
    rememberGroups(dave, ['platform-team'], 'cli:f1');
    rememberGroups(dave, ['platform-team', 'sre'], 'web:s1');
    expect(groupsOf(dave)).toEqual(['platform-team', 'sre']);
    forgetGroups(dave, 'web:s1');
    expect(groupsOf(dave)).toEqual(['platform-team']);
    expect(mayDeploy()).toBe(true);
    // A new sign-in where the provider no longer lists the group: its word counts.
    rememberGroups(dave, ['everyone'], 'web:s2');
    expect(mayDeploy()).toBe(false);
    forgetGroups(dave, 'web:s2');
    forgetGroups(dave, 'cli:f1');
    expect(groupsOf(dave)).toEqual([]);
  });
});
