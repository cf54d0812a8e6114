import type { AppSpec, ControlConfig } from '../../src/core/index.js';

/** An app spec with the defaults wheelhouse.yaml would give it (for pure tests of chat and access). */
export function appSpec(name: string, environment: string, overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    path: `apps/${name}`,
    target: 'local',
    environment,
    intervalMs: 30_000,
    sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 60_000, retries: 0 },
    source: { repo: '/control', ref: 'main', protected: false },
    sourceIsControlRepo: true,
    ...overrides,
  };
}

/** A control config: the example policy unless overridden. */
export function controlConfig(overrides: Partial<ControlConfig> = {}): ControlConfig {
  return {
    targets: { local: { name: 'local', driver: 'process', options: {} } },
    apps: [appSpec('web', 'dev'), appSpec('web-prod', 'prod')],
    people: [
      { name: 'Alice', email: 'alice@example.com', ids: ['web:alice', 'slack:U123'] },
      { name: 'Bob', email: 'bob@example.com', ids: ['web:bob'] },
    ],
    access: {
      roles: { deployer: ['read', 'sync', 'lock', 'write'], approver: ['read', 'approve'], viewer: ['read'] },
      bindings: [
        { subjects: ['web:alice', 'slack:U123'], role: 'deployer', apps: ['*'], environments: ['*'] },
        { subjects: ['web:bob'], role: 'deployer', apps: ['*'], environments: ['*'] },
        { subjects: ['web:bob'], role: 'approver', apps: ['*'], environments: ['prod'] },
      ],
      defaultRole: 'viewer',
    },
    approvals: [
      {
        environments: ['prod'],
        apps: [],
        commands: ['sync', 'rollback', 'promote', 'scale', 'set'],
        required: 1,
        expiresAfterMs: 3_600_000,
      },
    ],
    notifications: { routes: [] },
    webhooks: {},
    chat: {},
    secretPatterns: [],
    ...overrides,
  };
}
