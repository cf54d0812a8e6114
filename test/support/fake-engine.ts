import {
  type AppDiff,
  type AppStatus,
  type ControlConfig,
  type Engine,
  type LogLine,
  type SyncHandle,
  type SyncRecord,
  type SyncRequest,
  WheelhouseError,
} from '../../src/core/index.js';
import { createEventBus } from '../../src/engine/index.js';

/**
 * An in-memory Engine facade for route tests, built to the `Engine` port (nothing loosened):
 * unknown apps throw NOT_FOUND like the real one, syncs publish sync.started/finished events and
 * settle their handle, `logs` follows the port's tail/follow/signal contract.
 */
export interface FakeEngine extends Engine {
  readonly calls: { method: string; app?: string; args?: unknown }[];
  setApps(apps: AppStatus[]): void;
  setConfig(config: ControlConfig | undefined): void;
  setHistory(app: string, records: SyncRecord[]): void;
  setDiff(app: string, diff: AppDiff): void;
  setLogs(app: string, resource: string, lines: LogLine[]): void;
  /** Appends a log line seen by followers of that resource. */
  pushLog(app: string, resource: string, line: LogLine): void;
  /** How the next syncs end: succeeded (default) or failed. */
  setSyncOutcome(result: 'succeeded' | 'failed'): void;
}

export function appStatus(name: string, overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    name,
    environment: 'dev',
    target: 'local',
    source: { repo: 'https://github.com/Codertocat/Hello-World.git', ref: 'main', path: `apps/${name}` },
    syncStatus: 'Synced',
    health: { status: 'Healthy' },
    revision: 'a'.repeat(40),
    autoSync: true,
    selfHeal: true,
    resources: [
      {
        key: `local/Process/${name}/web`,
        kind: 'Process',
        name: 'web',
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
      },
    ],
    ...overrides,
  };
}

export function emptyConfig(overrides: Partial<ControlConfig> = {}): ControlConfig {
  return {
    targets: { local: { name: 'local', driver: 'process', options: {} } },
    apps: [],
    people: [],
    access: { roles: {}, bindings: [], defaultRole: 'viewer' },
    approvals: [],
    notifications: { routes: [] },
    webhooks: {},
    chat: {},
    secretPatterns: [],
    ...overrides,
  };
}

export function createFakeEngine(options: { apps?: AppStatus[]; config?: ControlConfig } = {}): FakeEngine {
  const events = createEventBus();
  let apps = options.apps ?? [];
  let config = options.config;
  let outcome: 'succeeded' | 'failed' = 'succeeded';
  let syncCounter = 0;
  const calls: FakeEngine['calls'] = [];
  const history = new Map<string, SyncRecord[]>();
  const diffs = new Map<string, AppDiff>();
  const logs = new Map<string, LogLine[]>();
  const followers = new Map<string, Set<(line: LogLine) => void>>();

  const find = (name: string): AppStatus => {
    const app = apps.find((a) => a.name === name);
    if (!app)
      throw new WheelhouseError('NOT_FOUND', `no app named ${name}; run \`wheelhouse apps\` for the list`, {
        details: { app: name },
      });
    return app;
  };

  const engine: FakeEngine = {
    calls,
    events,
    async start() {},
    async stop() {},
    control: () => ({ repo: 'control', ref: 'main', ...(config ? { revision: 'c'.repeat(40) } : {}) }),
    config() {
      if (!config)
        throw new WheelhouseError('UNAVAILABLE', 'no valid wheelhouse.yaml loaded yet: still loading');
      return config;
    },
    apps: () => apps.map((a) => structuredClone(a)),
    status: (name) => structuredClone(find(name)),
    async refresh(name) {
      find(name);
      calls.push({ method: 'refresh', app: name });
    },
    async refreshRepo(url) {
      calls.push({ method: 'refreshRepo', args: url });
      return apps.filter((a) => a.source.repo === url).map((a) => a.name);
    },
    async sync(name, request: SyncRequest): Promise<SyncHandle> {
      const app = find(name);
      calls.push({ method: 'sync', app: name, args: request });
      const id = `sync-${++syncCounter}`;
      const revision = request.revision ?? app.revision ?? 'b'.repeat(40);
      const startedAt = new Date().toISOString();
      const result = outcome;
      const done = new Promise<SyncRecord>((resolve) => {
        setImmediate(() => {
          events.publish({
            type: 'sync.started',
            app: name,
            syncId: id,
            revision,
            actor: request.actor,
            dryRun: request.dryRun ?? false,
          });
          events.publish({
            type: 'sync.progress',
            app: name,
            syncId: id,
            step: 'apply',
            message: 'applying web',
          });
          const record: SyncRecord = {
            id,
            app: name,
            revision,
            digest: 'd'.repeat(40),
            actor: request.actor,
            trigger: 'manual',
            dryRun: request.dryRun ?? false,
            startedAt,
            finishedAt: new Date().toISOString(),
            result,
            changeSet: [],
            messages: result === 'failed' ? ['web: process exited with code 1'] : [],
            health: { status: result === 'failed' ? 'Degraded' : 'Healthy' },
          };
          history.set(name, [record, ...(history.get(name) ?? [])]);
          events.publish({
            type: 'sync.finished',
            app: name,
            syncId: id,
            revision,
            result,
            actor: request.actor,
            health: record.health ?? { status: 'Unknown' },
            changes: [],
            record,
          });
          resolve(record);
        });
      });
      return { operationId: id, done };
    },
    async diff(name) {
      find(name);
      const diff = diffs.get(name);
      if (!diff) return { app: name, revision: find(name).revision ?? '', changes: [], text: '' };
      return diff;
    },
    async history(name, limit = 50) {
      find(name);
      return (history.get(name) ?? []).slice(0, limit);
    },
    logs(name, resource, opts) {
      const app = find(name);
      if (!app.resources.some((r) => r.name === resource || r.key === resource)) {
        throw new WheelhouseError('NOT_FOUND', `app ${name} has no resource ${resource}`, {
          details: { app: name, resource },
        });
      }
      const key = `${name}/${resource}`;
      return (async function* () {
        const all = logs.get(key) ?? [];
        for (const line of opts.tail === 0 ? [] : all.slice(-opts.tail)) yield line;
        if (!opts.follow) return;
        const queue: LogLine[] = [];
        let wake: (() => void) | undefined;
        const listener = (line: LogLine) => {
          queue.push(line);
          wake?.();
        };
        const set = followers.get(key) ?? new Set();
        followers.set(key, set);
        set.add(listener);
        try {
          while (!opts.signal?.aborted) {
            const line = queue.shift();
            if (line) {
              yield line;
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
              opts.signal?.addEventListener('abort', () => resolve(), { once: true });
            });
            wake = undefined;
          }
        } finally {
          set.delete(listener);
        }
      })();
    },
    setApps(next) {
      apps = next;
    },
    setConfig(next) {
      config = next;
    },
    setHistory(app, records) {
      history.set(app, records);
    },
    setDiff(app, diff) {
      diffs.set(app, diff);
    },
    setLogs(app, resource, lines) {
      logs.set(`${app}/${resource}`, lines);
    },
    pushLog(app, resource, line) {
      const key = `${app}/${resource}`;
      logs.set(key, [...(logs.get(key) ?? []), line]);
      for (const listener of followers.get(key) ?? []) listener(line);
    },
    setSyncOutcome(result) {
      outcome = result;
    },
  };
  return engine;
}
