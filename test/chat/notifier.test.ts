import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChatAdapter, type WebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { createNotifier } from '../../src/chat/notify/index.js';
import type { ChatMessage, ControlConfig, Store, SyncRecord } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

describe('notifications into the built-in chat', () => {
  const tmp = tempDirs();
  let store: Store;
  let web: WebChatAdapter;
  const config: ControlConfig = controlConfig({
    notifications: {
      routes: [
        {
          platform: 'web',
          channel: 'ops',
          apps: ['*'],
          environments: ['*'],
          events: ['sync.succeeded', 'sync.failed', 'approval.requested'],
        },
        {
          platform: 'web',
          channel: 'prod-alerts',
          apps: ['*'],
          environments: ['prod'],
          events: ['sync.failed', 'health.degraded'],
        },
        { platform: 'slack', channel: 'C1', apps: ['*'], environments: ['*'], events: ['sync.failed'] },
      ],
    },
  });
  const engine = createConfigEngine(config);
  let t = 0;

  beforeAll(async () => {
    store = await createSqliteStore({ file: join(await tmp('notify'), 'wheelhouse.db') });
    web = createWebChatAdapter({ store, events: engine.events, log: silentLogger });
  });
  afterAll(async () => store?.close());

  function record(over: Partial<SyncRecord>): SyncRecord {
    return {
      id: 'sync-1',
      app: 'web',
      revision: 'a'.repeat(40),
      digest: 'd1',
      actor: 'web:alice',
      trigger: 'manual',
      dryRun: false,
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:05.000Z',
      result: 'succeeded',
      changeSet: [
        { key: 'local/Process/web/web', kind: 'Process', name: 'web', action: 'configured', fields: [] },
      ],
      messages: [],
      health: { status: 'Healthy' },
      ...over,
    };
  }

  const finished = (r: SyncRecord) =>
    engine.events.publish({
      type: 'sync.finished',
      app: r.app,
      syncId: r.id,
      revision: r.revision,
      result: r.result,
      actor: r.actor,
      changes: r.changeSet,
      record: r,
      ...(r.health ? { health: r.health } : {}),
    });

  it('routes, threads per operation, deduplicates and rate-limits', async () => {
    const notifier = createNotifier({
      engine,
      store,
      config: () => config,
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
      commitsFor: async (r) => [
        {
          sha: r.revision,
          subject: 'Raise replicas',
          authorName: 'Alice',
          authorEmail: 'a@x',
          authoredAt: r.startedAt,
        },
      ],
      rateLimit: { limit: 3, windowMs: 60_000 },
      now: () => t,
    });
    notifier.start();
    finished(record({}));
    finished(record({ id: 'sync-2' }));
    await notifier.idle();
    let ops = await store.listChatMessages('ops');
    expect(ops).toHaveLength(1);
    const first = ops[0];
    expect(first?.text).toContain('✅ web (dev) synced to aaaaaaa');
    expect(first?.text).toContain('Triggered by: Alice (web:alice) (manual)');
    expect(first?.text).toContain('Revision: aaaaaaa Raise replicas');
    expect(first?.text).toContain('Changes: configured web');
    expect(first?.text).toContain('• aaaaaaa Raise replicas — Alice');

    // A failure of web-prod: to ops and to prod-alerts; a second message about the same sync joins its thread.
    const failed = record({
      id: 'sync-3',
      app: 'web-prod',
      result: 'failed',
      revision: 'b'.repeat(40),
      messages: ['Job migrate failed'],
    });
    finished(failed);
    engine.patchStatus('web-prod', {
      lastSync: {
        id: 'sync-3',
        revision: failed.revision,
        result: 'failed',
        actor: 'web:alice',
        startedAt: failed.startedAt,
      },
    });
    engine.events.publish({
      type: 'health.changed',
      app: 'web-prod',
      from: { status: 'Healthy' },
      to: { status: 'Degraded', message: 'crash loop' },
    });
    await notifier.idle();
    const alerts = await store.listChatMessages('prod-alerts');
    // One thread per operation: the degradation after the failed sync is a reply to it.
    expect(alerts[1]?.thread).toBe(alerts[0]?.id);
    expect(alerts.map((m) => m.text.split('\n')[0])).toEqual([
      `❌ sync of web-prod (prod) to bbbbbbb failed`,
      '❌ Degraded: web-prod (prod) is degraded — crash loop',
    ]);
    expect(alerts[0]?.text).toContain('Job migrate failed');

    // The same event again within five minutes: not sent twice. After the window: sent again.
    finished(record({ id: 'sync-4' }));
    await notifier.idle();
    expect(await store.listChatMessages('ops')).toHaveLength(2);
    t = 5 * 60_000 + 1;
    finished(record({ id: 'sync-5' }));
    await notifier.idle();
    ops = await store.listChatMessages('ops');
    expect(ops).toHaveLength(3);

    // Rate limit: three per minute for ops (sync-5 is in this minute); later ones are held back and counted.
    finished(record({ id: 'sync-6', revision: 'c'.repeat(40) }));
    finished(record({ id: 'sync-7', revision: 'd'.repeat(40) }));
    finished(record({ id: 'sync-8', revision: 'e'.repeat(40) }));
    finished(record({ id: 'sync-9', revision: 'f'.repeat(40) }));
    await notifier.idle();
    expect(await store.listChatMessages('ops')).toHaveLength(5);
    t += 60_001;
    finished(record({ id: 'sync-10', revision: '0'.repeat(40) }));
    await notifier.idle();
    ops = await store.listChatMessages('ops');
    expect(ops).toHaveLength(6);
    expect(ops[5]?.text).toContain('2 earlier notifications were held back');
    notifier.stop();
  });

  it('announces approval requests with buttons', async () => {
    const notifier = createNotifier({
      engine,
      store,
      config: () => config,
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
    });
    notifier.start();
    await store.insertApproval({
      id: 'ap1',
      app: 'web-prod',
      environment: 'prod',
      command: 'scale',
      args: {},
      text: 'scale web-prod web 3',
      requester: 'web:alice',
      required: 1,
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T01:00:00.000Z',
      status: 'pending',
      decisions: [],
    });
    engine.events.publish({
      type: 'approval.requested',
      approvalId: 'ap1',
      app: 'web-prod',
      command: 'scale',
      requester: 'web:alice',
    });
    await notifier.idle();
    const last = (await store.listChatMessages('ops')).at(-1);
    expect(last?.text).toContain(
      'approval needed: `scale web-prod web 3` on web-prod (prod), asked by Alice (web:alice)',
    );
    const body = last?.body as ChatMessage;
    expect(body.blocks.find((b) => b.type === 'buttons')).toMatchObject({
      buttons: [
        { action: 'approval.approve', value: 'ap1' },
        { action: 'approval.deny', value: 'ap1' },
      ],
    });
    notifier.stop();
  });

  it('reads no commits for a sync that no route takes (no routes, or routes for other apps)', async () => {
    let routes: ControlConfig['notifications']['routes'] = [];
    const read: string[] = [];
    const notifier = createNotifier({
      engine,
      store,
      config: () => ({ ...config, notifications: { routes } }),
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
      commitsFor: async (r) => {
        read.push(r.app);
        return [];
      },
      now: () => t,
    });
    notifier.start();
    finished(record({ id: 'quiet-1' }));
    await notifier.idle();
    expect(read).toEqual([]);

    routes = [{ platform: 'web', channel: 'prod-only', apps: ['*'], environments: ['prod'], events: [] }];
    finished(record({ id: 'quiet-2' })); // web is in dev
    finished(record({ id: 'quiet-3', app: 'web-prod' }));
    await notifier.idle();
    expect(read).toEqual(['web-prod']);
    expect(await store.listChatMessages('prod-only')).toHaveLength(1);
    notifier.stop();
  });
});
