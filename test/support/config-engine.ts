import type { AppStatus, ControlConfig, Engine, EventBus } from '../../src/core/index.js';
import { WheelhouseError } from '../../src/core/index.js';
import { createEventBus } from '../../src/engine/event-bus.js';

/** The engine's own in-process event bus, for tests that need only the bus. */
export function createTestEventBus(): EventBus {
  return createEventBus();
}

/**
 * The engine facade for tests of chat and access that need only the configuration in force and
 * the event bus: apps report their config, operations that would reconcile say so and fail.
 * End-to-end tests use the real engine.
 */
export function createConfigEngine(initial: ControlConfig): Engine & {
  setConfig(next: ControlConfig): void;
  patchStatus(app: string, patch: Partial<AppStatus>): void;
} {
  let config = initial;
  const patches = new Map<string, Partial<AppStatus>>();
  const events = createTestEventBus();
  const status = (name: string): AppStatus => {
    const app = config.apps.find((a) => a.name === name);
    if (!app) throw new WheelhouseError('NOT_FOUND', `no app named ${name}`, { details: { app: name } });
    return {
      name: app.name,
      environment: app.environment,
      target: app.target,
      source: { repo: app.source.repo, ref: app.source.ref, path: app.path },
      syncStatus: 'Synced',
      health: { status: 'Healthy' },
      autoSync: app.sync.auto,
      selfHeal: app.sync.selfHeal,
      resources: [],
      ...patches.get(name),
    };
  };
  const unsupported = (what: string) => () => {
    throw new WheelhouseError('UNAVAILABLE', `${what} needs the real engine`);
  };
  return {
    events,
    start: async () => {},
    stop: async () => {},
    config: () => config,
    control: () => ({ repo: 'control', ref: 'main', revision: 'c'.repeat(40) }),
    setConfig(next) {
      config = next;
    },
    patchStatus(app, patch) {
      patches.set(app, { ...patches.get(app), ...patch });
    },
    apps: () => config.apps.map((a) => status(a.name)),
    status,
    refresh: async (name) => {
      status(name);
    },
    refreshRepo: async () => [],
    sync: unsupported('sync'),
    diff: unsupported('diff'),
    history: async () => [],
    logs: unsupported('logs'),
  };
}
