import { afterEach, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../src/core/index.js';
import { engineOn, startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const config = (...apps: string[]) =>
  `apps:\n${apps.map((name) => `  - name: ${name}\n    path: apps/${name}\n    environment: dev\n`).join('')}`;

const manifest = (kind: string, name: string, spec: Record<string, unknown>) =>
  `apiVersion: wheelhouse/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;

async function start(files: Record<string, string>, driver = new FakeDriver('process')) {
  const h = await startHarness(tmp, { files, driver, kinds: FAKE_KINDS });
  closers.push(h.close);
  return { ...h, driver };
}

describe('engine', () => {
  it('converges every app at start and records the sync in history', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/web.yaml': `${manifest('Process', 'web', { command: ['web'] })}---\n${manifest('File', 'conf', { content: 'a' })}`,
    });
    const status = h.engine.status('web');
    expect(status.syncStatus).toBe('Synced');
    expect(status.health.status).toBe('Healthy');
    expect(status.revision).toBe(h.head);
    expect(h.driver.keysOf('apply')).toEqual(['local/File/web/conf', 'local/Process/web/web']);
    const [record] = await h.engine.history('web');
    expect(record).toMatchObject({
      result: 'succeeded',
      revision: h.head,
      trigger: 'auto',
      actor: `git:${h.head.slice(0, 7)}`,
    });
    expect(record?.changeSet.map((c) => [c.name, c.action])).toEqual([
      ['conf', 'created'],
      ['web', 'created'],
    ]);
  });

  it('re-renders and re-applies only the apps whose path tree changed', async () => {
    const h = await start({
      'wheelhouse.yaml': config('a', 'b', 'c'),
      'apps/a/m.yaml': manifest('File', 'f', { content: 'a1' }),
      'apps/b/m.yaml': manifest('File', 'f', { content: 'b1' }),
      'apps/c/m.yaml': manifest('File', 'f', { content: 'c1' }),
    });
    const rendersBefore = h.engine.renderCount();
    h.driver.calls.length = 0;
    const next = await h.commit({ 'apps/b/m.yaml': manifest('File', 'f', { content: 'b2' }) }, 'change b');
    await h.refresh('a');
    expect(h.engine.renderCount() - rendersBefore).toBe(1);
    expect(h.driver.calls.filter((c) => c.op === 'apply').map((c) => c.key)).toEqual(['local/File/b/f']);
    expect(h.engine.status('b').revision).toBe(next);
    // a and c did not change: they keep the revision they were applied at
    expect(h.engine.status('a').revision).toBe(h.head);
    expect(h.engine.status('a').desiredRevision).toBe(next);
  });

  it('keeps the last good state of an app whose manifests break, while another app syncs', async () => {
    const h = await start({
      'wheelhouse.yaml': config('a', 'b'),
      'apps/a/m.yaml': manifest('File', 'f', { content: 'a1' }),
      'apps/b/m.yaml': manifest('File', 'f', { content: 'b1' }),
    });
    h.driver.calls.length = 0;
    await h.commit(
      {
        'apps/a/m.yaml': 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: {name: f\nspec: [',
        'apps/b/m.yaml': manifest('File', 'f', { content: 'b2' }),
      },
      'break a, change b',
    );
    await h.refresh('a');
    const a = h.engine.status('a');
    expect(a.lastError?.code).toBe('RENDER_FAILED');
    expect(a.lastError?.message).toContain('apps/a/m.yaml:');
    expect(a.revision).toBe(h.head);
    expect(h.driver.liveSpec('a', 'local/File/a/f')).toMatchObject({ content: 'a1' });
    expect(h.driver.calls.filter((c) => c.op !== 'health').map((c) => `${c.op} ${c.key}`)).toEqual([
      'apply local/File/b/f',
    ]);
    expect(h.engine.status('b').lastSync?.result).toBe('succeeded');
  });

  it('pins an app to an explicit revision until a sync without one', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('File', 'f', { content: 'v1' }),
    });
    const v2 = await h.commit({ 'apps/web/m.yaml': manifest('File', 'f', { content: 'v2' }) }, 'v2');
    await h.refresh();
    expect(h.driver.liveSpec('web', 'local/File/web/f')).toMatchObject({ content: 'v2' });

    const pinned = await (await h.engine.sync('web', { revision: h.head.slice(0, 10), actor: 'cli:alice' }))
      .done;
    expect(pinned).toMatchObject({
      result: 'succeeded',
      revision: h.head,
      actor: 'cli:alice',
      trigger: 'manual',
    });
    expect(h.engine.status('web').pinnedRevision).toBe(h.head);
    await h.commit({ 'apps/web/m.yaml': manifest('File', 'f', { content: 'v3' }) }, 'v3');
    await h.refresh();
    expect(h.driver.liveSpec('web', 'local/File/web/f')).toMatchObject({ content: 'v1' });

    const unpinned = await (await h.engine.sync('web', { actor: 'cli:alice' })).done;
    expect(unpinned.revision).not.toBe(v2);
    expect(h.engine.status('web').pinnedRevision).toBeUndefined();
    expect(h.driver.liveSpec('web', 'local/File/web/f')).toMatchObject({ content: 'v3' });
  });

  it('ignores auto-sync while the app is locked, and shows the lock', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('File', 'f', { content: 'v1' }),
    });
    await h.store.acquireLock({
      app: 'web',
      holder: 'web:alice',
      reason: 'incident',
      createdAt: new Date().toISOString(),
    });
    await h.commit({ 'apps/web/m.yaml': manifest('File', 'f', { content: 'v2' }) }, 'v2');
    await h.refresh();
    const status = h.engine.status('web');
    expect(status.lock).toMatchObject({ holder: 'web:alice', reason: 'incident' });
    expect(status.syncStatus).toBe('OutOfSync');
    expect(h.driver.liveSpec('web', 'local/File/web/f')).toMatchObject({ content: 'v1' });
    await h.store.releaseLock('web');
    await h.refresh();
    expect(h.driver.liveSpec('web', 'local/File/web/f')).toMatchObject({ content: 'v2' });
  });

  it('heals drift the driver reports, at once', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('Process', 'p', { command: ['x'] }),
    });
    const drifted = new Promise((resolve) => {
      const off = h.engine.events.subscribe((e) => {
        if (e.type === 'sync.finished' && e.record.trigger === 'self-heal') {
          off();
          resolve(e.record);
        }
      });
    });
    h.driver.drift('web', 'local/Process/web/p', 'not running');
    expect(await drifted).toMatchObject({ result: 'succeeded', actor: 'wheelhouse' });
    expect(h.engine.status('web').syncStatus).toBe('Synced');
  });

  it('coalesces requests that arrive while an operation runs', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('File', 'f', { content: 'v1' }),
    });
    await h.commit({ 'apps/web/m.yaml': manifest('File', 'f', { content: 'v2' }) }, 'v2');
    const hold = h.driver.holdApply('local/File/web/f');
    const first = await h.engine.sync('web', { actor: 'cli:a' });
    const queued = await Promise.all([1, 2, 3].map((n) => h.engine.sync('web', { actor: `cli:${n}` })));
    expect(new Set(queued.map((q) => q.operationId)).size).toBe(1);
    expect(queued[0]?.operationId).not.toBe(first.operationId);
    hold.release();
    const records = await Promise.all([first.done, ...queued.map((q) => q.done)]);
    expect(new Set(records.map((r) => r.id)).size).toBe(2);
    expect((await h.engine.history('web')).filter((r) => r.trigger === 'manual')).toHaveLength(2);
  });

  it('resumes a sync left running by a crash under the same history id', async () => {
    const h = await start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('File', 'f', { content: 'v1' }),
    });
    const v2 = await h.commit({ 'apps/web/m.yaml': manifest('File', 'f', { content: 'v2' }) }, 'v2');
    await h.close();
    closers.pop();
    const interrupted: SyncRecord = {
      id: 'sync_crashed',
      app: 'web',
      revision: v2,
      digest: 'unknown',
      actor: 'cli:alice',
      trigger: 'manual',
      dryRun: false,
      startedAt: new Date().toISOString(),
      result: 'running',
      changeSet: [],
      messages: [],
    };
    const reopened = await engineOn(h.repoDir, h.dataDir, { driver: h.driver, kinds: FAKE_KINDS });
    closers.push(reopened.close);
    await reopened.engine.stop();
    await reopened.store.insertSync(interrupted);
    await reopened.close();
    closers.pop();

    const again = await engineOn(h.repoDir, h.dataDir, { driver: h.driver, kinds: FAKE_KINDS });
    closers.push(again.close);
    const record = (await again.engine.history('web')).find((r) => r.id === 'sync_crashed');
    expect(record).toMatchObject({ result: 'succeeded', actor: 'cli:alice', revision: v2 });
    expect(record?.messages).toContain('resumed after the engine restarted');
  });

  it('says which apps exist when asked for an unknown one', () => {
    return start({
      'wheelhouse.yaml': config('web'),
      'apps/web/m.yaml': manifest('File', 'f', { content: 'v1' }),
    }).then((h) => {
      expect(() => h.engine.status('wbe')).toThrow(/no app named wbe; did you mean web\?/);
    });
  });

  it('hands a tree applied again (a rollback) the facts its earlier sync recorded', async () => {
    const driver = new FakeDriver('process').facts('local/Process/web/p', {
      image: 'app:1',
      repoDigest: 'app@sha256:aaa',
    });
    const h = await start(
      { 'wheelhouse.yaml': config('web'), 'apps/web/m.yaml': manifest('Process', 'p', { image: 'app:1' }) },
      driver,
    );
    expect(driver.calls.find((c) => c.op === 'apply')?.recorded).toBeUndefined();
    driver.facts('local/Process/web/p', { image: 'app:2', repoDigest: 'app@sha256:bbb' });
    await h.commit({ 'apps/web/m.yaml': manifest('Process', 'p', { image: 'app:2' }) }, 'v2');
    await h.refresh();
    driver.calls.length = 0;
    await h.commit({ 'apps/web/m.yaml': manifest('Process', 'p', { image: 'app:1' }) }, 'back to v1');
    await h.refresh();
    const rollback = driver.calls.find((c) => c.op === 'apply');
    expect(rollback?.recorded).toEqual({ image: 'app:1', repoDigest: 'app@sha256:aaa' });
  });
});
