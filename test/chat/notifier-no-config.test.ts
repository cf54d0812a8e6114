import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { createNotifier } from '../../src/chat/notify/index.js';
import { type Store, silentLogger, WheelhouseError } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

/**
 * Issue 14 gap: a refused wheelhouse.yaml was announced through the routes of the configuration in
 * force, so with none ever in force (a first commit that does not validate) nobody in chat heard
 * of it. It goes to the built-in chat's `ops` room then; other events still need a route.
 */
describe('notifications while no wheelhouse.yaml is in force', () => {
  const tmp = tempDirs();
  let store: Store | undefined;
  afterAll(async () => store?.close());

  it('posts config.invalid to the built-in ops room, and nothing else', async () => {
    store = await createSqliteStore({ file: join(await tmp('notify'), 'wheelhouse.db') });
    const engine = createConfigEngine(controlConfig({}));
    const web = createWebChatAdapter({ store, events: engine.events, log: silentLogger });
    const notifier = createNotifier({
      engine,
      store,
      config: () => {
        throw new WheelhouseError('UNAVAILABLE', 'no valid wheelhouse.yaml loaded yet');
      },
      adapter: (platform) => (platform === 'web' ? web : undefined),
      log: silentLogger,
    });
    notifier.start();
    engine.events.publish({
      type: 'config.invalid',
      revision: 'c'.repeat(40),
      message:
        'wheelhouse.yaml at ccccccc is invalid; no apps run until it is fixed:\nwheelhouse.yaml:3:5 apps[0].path: required',
    });
    engine.events.publish({ type: 'source.failed', repo: '/src/ops', message: 'fetch failed' });
    await notifier.idle();
    const ops = await store.listChatMessages('ops');
    expect(ops.map((m) => m.text)).toEqual([
      expect.stringContaining('wheelhouse.yaml:3:5 apps[0].path: required'),
    ]);
    notifier.stop();
  });
});
