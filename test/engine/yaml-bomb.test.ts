import { afterEach, describe, expect, it } from 'vitest';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 12 item 8: 400 aliases of a 900 KB string (under the alias count limit) peaked at 2.5 GB
 * and blocked the server for 10 s on every poll, and the error then blamed the data directory.
 * The app now fails to render with the real cause, and another app keeps syncing.
 */
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('a manifest whose aliases expand to too many bytes', () => {
  it('fails its app with the file, the byte limit and how to fix it', async () => {
    const bomb = `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f }\nspec:\n  content: &big ${'x'.repeat(900 * 1024)}\n  copies:\n${'    - *big\n'.repeat(400)}`;
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n  - { name: api, path: apps/api }\n',
        'apps/web/m.yaml': bomb,
        'apps/api/m.yaml':
          'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f }\nspec: { content: ok }\n',
      },
      driver: new FakeDriver('process'),
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const web = h.engine.status('web');
    expect(web.lastError?.code).toBe('RENDER_FAILED');
    expect(web.lastError?.message).toMatch(
      /apps\/web\/m\.yaml:7:5 aliases here expand to more than 4 MiB of text \(\d+ aliases so far\) — anchor and repeat only small values/,
    );
    expect(web.lastError?.message).not.toMatch(/data dir/i);
    expect(h.engine.status('api')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
  });
});
