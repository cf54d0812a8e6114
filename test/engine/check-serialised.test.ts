// Issue 15: a check started by a driver event ran outside the app's queue, so it could overlap a
// sync and write the app's desired state, live state and status from before the sync. Every
// check of an app now runs through its queue: a sync asked for during a check waits for it.
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveResource, WheelhouseEvent } from '../../src/core/index.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The fake driver, with one observation that is taken at once and delivered when released. */
class HeldObserveDriver extends FakeDriver {
  private hold: { reached: () => void; released: Promise<void> } | undefined;

  /** The next `observe` call sees the target as it is then, and returns on `release()`. */
  holdNextObserve(): { reached: Promise<void>; release(): void } {
    let reached = () => {};
    let release = () => {};
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  }

  override async observe(app: string): Promise<LiveResource[]> {
    const seen = await super.observe(app);
    const hold = this.hold;
    if (!hold) return seen;
    this.hold = undefined;
    hold.reached();
    await hold.released;
    return seen;
  }
}

const manifest = (content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata:\n  name: conf\nspec: ${JSON.stringify({ content })}\n`;

describe('checks and syncs of one app', () => {
  it('runs a sync asked for during a driver-event check after the check, never beside it', async () => {
    const driver = new HeldObserveDriver('process');
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n    sync: { auto: false }\n',
        'apps/web/conf.yaml': manifest('one'),
      },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    await h.engine.sync('web', { actor: 'web:alice' }).then((op) => op.done);
    const next = await h.commit({ 'apps/web/conf.yaml': manifest('two') }, 'change conf');

    const events: WheelhouseEvent[] = [];
    h.engine.events.subscribe((event) => events.push(event));
    const held = driver.holdNextObserve();
    driver.drift('web', 'local/File/web/conf', 'edited by hand');
    await held.reached; // the driver event's check is observing the target

    const { done } = await h.engine.sync('web', { actor: 'web:alice' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.engine.status('web').operation).toBeUndefined();
    expect(events.map((e) => e.type)).not.toContain('sync.started');

    held.release();
    const record = await done;
    await h.engine.settled();
    expect(record).toMatchObject({ result: 'succeeded', revision: next, trigger: 'manual' });
    // The check finished first (it saw the hand edit), then the sync started.
    expect(events[0]).toMatchObject({ type: 'app.updated', syncStatus: 'OutOfSync' });
    expect(events.findIndex((e) => e.type === 'sync.started')).toBeGreaterThan(0);
    const status = h.engine.status('web');
    expect(status).toMatchObject({ syncStatus: 'Synced', revision: next, desiredRevision: next });
    expect(driver.liveSpec('web', 'local/File/web/conf')).toEqual({ content: 'two' });
  });
});
