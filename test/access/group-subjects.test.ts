import { afterEach, describe, expect, it } from 'vitest';
import {
  checkActor,
  commitAuthor,
  forgetGroups,
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
    forgetGroups('oidc:alice@example.com');
    forgetGroups('oidc:dave@example.com');
  });

  it('maps an SSO person to people by email, so commits carry their name', () => {
    const identity = resolveIdentity('oidc:Alice@Example.com', config.people);
    expect(identity.person?.name).toBe('Alice');
    expect(commitAuthor(identity)).toEqual({ name: 'Alice', email: 'alice@example.com' });
    expect(resolveIdentity('oidc:dave@example.com', config.people).person).toBeUndefined();
  });

  it('grants a binding’s role to members of its group, only on its apps, and names the group to others', () => {
    rememberGroups('oidc:dave@example.com', ['platform-team']);
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
    forgetGroups('oidc:dave@example.com');
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
});
