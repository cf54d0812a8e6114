// Issue 14, item 8: a crash-looping Process posted a "Degraded" message on every restart (35 in 15
// minutes), because the text changed with the restart count and de-duplication never matched.
// Health is told per episode: one message when it degrades, a summary reply at most every few
// minutes, a reply when it recovers; never a second top-level message for the same episode.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChatAdapter, type WebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { createNotifier, type Notifier } from '../../src/chat/notify/index.js';
import type { ControlConfig, Health, Store } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

const MINUTE = 60_000;

describe('health notifications per episode', () => {
  const tmp = tempDirs();
  let store: Store;
  let web: WebChatAdapter;
  let notifier: Notifier;
  const config: ControlConfig = controlConfig({
    notifications: {
      routes: [
        {
          platform: 'web',
          channel: 'alerts',
          apps: ['*'],
          environments: ['*'],
          events: ['health.degraded'],
        },
      ],
    },
  });
  const engine = createConfigEngine(config);
  let t = 1_000_000;
  let health: Health = { status: 'Healthy' };

  const become = async (to: Health) => {
    engine.events.publish({ type: 'health.changed', app: 'web-prod', from: health, to });
    health = to;
    await notifier.idle();
  };
  const crash = (n: number): Health => ({
    status: 'Degraded',
    message: `crash loop: exited with code 1, ${n} times in a row; next restart in 8s. Last log lines:\nError: boom`,
  });

  beforeAll(async () => {
    store = await createSqliteStore({ file: join(await tmp('episodes'), 'wheelhouse.db') });
    web = createWebChatAdapter({ store, events: engine.events, log: silentLogger });
    notifier = createNotifier({
      engine,
      store,
      config: () => config,
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
      healthSummaryEveryMs: 5 * MINUTE,
      now: () => t,
    });
    notifier.start();
  });
  afterAll(async () => {
    notifier?.stop();
    await store?.close();
  });

  it('35 restarts in 15 minutes: one top-level message, at most 3 summaries in its thread, then recovery', async () => {
    for (let restart = 1; restart <= 35; restart++) {
      await become(crash(restart));
      t += 13_000;
      await become({ status: 'Progressing', message: 'restarting' });
      t += 13_000;
    }
    let messages = await store.listChatMessages('alerts');
    const top = messages.filter((m) => m.thread === undefined);
    expect(top).toHaveLength(1);
    expect(top[0]?.text.split('\n')[0]).toBe(
      '❌ Degraded: web-prod (prod) is degraded — crash loop: exited with code 1, 1 times in a row; next restart in 8s. Last log lines:',
    );
    expect(top[0]?.text).toContain('Error: boom');
    const replies = messages.filter((m) => m.thread !== undefined);
    expect(replies.every((m) => m.thread === top[0]?.id)).toBe(true);
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(replies.length).toBeLessThanOrEqual(3);
    expect(replies[0]?.text).toMatch(
      /^⏳ still degraded: web-prod \(prod\) for 5 min, degraded \d+ times — crash loop: exited with code 1, \d+ times in a row/,
    );

    await become({ status: 'Healthy' });
    messages = await store.listChatMessages('alerts');
    expect(messages.filter((m) => m.thread === undefined)).toHaveLength(1);
    expect(messages.at(-1)?.thread).toBe(top[0]?.id);
    expect(messages.at(-1)?.text).toBe('✅ Healthy: web-prod (prod) is healthy again after 15 min');
  });

  it('a later episode (after recovery) opens a new top-level message, even within the dedupe window', async () => {
    t += MINUTE;
    await become(crash(1));
    const top = (await store.listChatMessages('alerts')).filter((m) => m.thread === undefined);
    expect(top).toHaveLength(2);
  });

  it('says nothing about Progressing or Missing when no episode is open', async () => {
    await become({ status: 'Healthy' });
    const before = (await store.listChatMessages('alerts')).length;
    await become({ status: 'Progressing', message: 'starting' });
    await become({ status: 'Healthy' });
    expect(await store.listChatMessages('alerts')).toHaveLength(before);
  });
});
