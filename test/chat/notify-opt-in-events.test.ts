import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChatAdapter, type WebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { createNotifier, type Notifier } from '../../src/chat/notify/index.js';
import { type ControlConfig, POSTED_EVENTS, type Store, silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

/** The events a route gets only when it names them: each is posted, in the right thread. */
describe('notification events a route opts into', () => {
  const tmp = tempDirs();
  let store: Store;
  let web: WebChatAdapter;
  let notifier: Notifier;
  const route = (channel: string, events: string[]) => ({
    platform: 'web',
    channel,
    apps: ['*'],
    environments: ['*'],
    events,
  });
  const config: ControlConfig = controlConfig({
    notifications: {
      routes: [
        route('starts', ['sync.started', 'sync.succeeded']),
        route('recoveries', ['health.recovered']),
        route('alerts', ['health.degraded']),
        route('approvals', ['approval.requested', 'approval.decided']),
        route('sources', ['source.failed']),
        route('defaults', [...POSTED_EVENTS]),
      ],
    },
  });
  const engine = createConfigEngine(config);
  const firstLines = async (channel: string) =>
    (await store.listChatMessages(channel)).map((m) => m.text.split('\n')[0]);

  beforeAll(async () => {
    store = await createSqliteStore({ file: join(await tmp('notify'), 'wheelhouse.db') });
    web = createWebChatAdapter({ store, events: engine.events, log: silentLogger });
    notifier = createNotifier({
      engine,
      store,
      config: () => config,
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
      redact: (text) => text.replaceAll('hunter2', '***'),
    });
    notifier.start();
  });
  afterAll(async () => {
    notifier?.stop();
    await store?.close();
  });

  it('posts a sync starting, and its result answers in the same thread; dry runs are not posted', async () => {
    const revision = 'a'.repeat(40);
    const base = { app: 'web', revision, actor: 'web:alice' };
    engine.events.publish({ type: 'sync.started', syncId: 'dry-1', ...base, dryRun: true });
    engine.events.publish({ type: 'sync.started', syncId: 'sync-1', ...base, dryRun: false });
    const record = {
      id: 'sync-1',
      ...base,
      digest: 'd1',
      trigger: 'manual' as const,
      dryRun: false,
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:05.000Z',
      result: 'succeeded' as const,
      changeSet: [
        {
          key: 'local/Process/web/web',
          kind: 'Process',
          name: 'web',
          action: 'configured' as const,
          fields: [],
        },
      ],
      messages: [],
    };
    engine.events.publish({
      type: 'sync.finished',
      app: 'web',
      syncId: 'sync-1',
      revision,
      result: 'succeeded',
      actor: 'web:alice',
      changes: record.changeSet,
      record,
    });
    await notifier.idle();
    const messages = await store.listChatMessages('starts');
    expect(messages.map((m) => m.text.split('\n')[0])).toEqual([
      '🔄 syncing web (dev) to aaaaaaa, asked by Alice (web:alice)',
      '✅ web (dev) synced to aaaaaaa',
    ]);
    expect(messages[1]?.thread).toBe(messages[0]?.id);
    expect(await firstLines('defaults')).toEqual(['✅ web (dev) synced to aaaaaaa']);
  });

  it('posts the recovery to a route that names health.recovered, and in the thread of a health.degraded route', async () => {
    engine.events.publish({
      type: 'health.changed',
      app: 'web',
      from: { status: 'Healthy' },
      to: { status: 'Degraded', message: 'crash loop' },
    });
    engine.events.publish({
      type: 'health.changed',
      app: 'web',
      from: { status: 'Degraded' },
      to: { status: 'Healthy' },
    });
    await notifier.idle();
    const recovered = /^✅ Healthy: web \(dev\) is healthy again after /;
    const only = await firstLines('recoveries');
    expect(only).toHaveLength(1);
    expect(only[0]).toMatch(recovered);
    const alerts = await store.listChatMessages('alerts');
    expect(alerts.map((m) => m.text.split('\n')[0])).toEqual([
      '❌ Degraded: web (dev) is degraded — crash loop',
      expect.stringMatching(recovered),
    ]);
    expect(alerts[1]?.thread).toBe(alerts[0]?.id);
  });

  it('answers an approval request with its decision once it is decided, not on each vote', async () => {
    await store.insertApproval({
      id: 'ap1',
      app: 'web-prod',
      environment: 'prod',
      command: 'scale',
      args: {},
      text: 'scale web-prod web 3',
      requester: 'web:alice',
      required: 2,
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T01:00:00.000Z',
      status: 'pending',
      decisions: [],
    });
    const decided = {
      type: 'approval.decided' as const,
      approvalId: 'ap1',
      app: 'web-prod',
      actor: 'web:bob',
    };
    engine.events.publish({
      type: 'approval.requested',
      approvalId: 'ap1',
      app: 'web-prod',
      command: 'scale',
      requester: 'web:alice',
    });
    engine.events.publish({ ...decided, status: 'pending' });
    engine.events.publish({ ...decided, status: 'denied' });
    await notifier.idle();
    const messages = await store.listChatMessages('approvals');
    expect(messages.map((m) => m.text.split('\n')[0])).toEqual([
      expect.stringMatching(/^🕒 approval needed: `scale web-prod web 3`/),
      '🚫 denied: `scale web-prod web 3` on web-prod (prod), by Bob (web:bob)',
    ]);
    expect(messages[1]?.thread).toBe(messages[0]?.id);
    expect(await firstLines('defaults')).not.toContainEqual(expect.stringContaining('denied'));
  });

  it('says once that a repository cannot be fetched, with secrets redacted', async () => {
    const failure = {
      type: 'source.failed' as const,
      repo: 'https://git.example.com/team/control.git',
      message: 'fetch failed: authentication with token hunter2 refused (HTTP 401)',
    };
    engine.events.publish(failure);
    engine.events.publish(failure);
    await notifier.idle();
    const messages = await store.listChatMessages('sources');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain(
      '📡 could not fetch https://git.example.com/team/control.git: its apps stay on the last fetched state',
    );
    expect(messages[0]?.text).toContain('token *** refused');
    expect(messages[0]?.text).not.toContain('hunter2');
    expect(await firstLines('defaults')).not.toContainEqual(expect.stringContaining('could not fetch'));
  });
  it('leaves an event another replica relayed to the replica that published it: posted once', async () => {
    const before = (await store.listChatMessages('sources')).length;
    const failed = {
      type: 'source.failed' as const,
      repo: 'https://git.example/relayed.git',
      message: 'gone',
    };
    engine.events.publishRelayed(failed, { replica: 'replica-b', at: new Date().toISOString() });
    await notifier.idle();
    expect((await store.listChatMessages('sources')).length).toBe(before);
    engine.events.publish(failed);
    await notifier.idle();
    expect((await store.listChatMessages('sources')).length).toBe(before + 1);
  });
});
