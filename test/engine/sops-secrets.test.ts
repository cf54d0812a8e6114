import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../src/core/index.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 19, SOPS: files made by the real sops binary for age recipients decrypt at render time and
 * deploy; a wrong key, a tampered value and a missing key each fail the render with the reason and
 * leave the app on its last good state; the clear value shows on no output surface.
 */
const missing = sopsMissing();
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
const saved = { sops: process.env.WHEELHOUSE_SOPS, key: process.env.SOPS_AGE_KEY_FILE };
beforeAll(() => {
  process.env.WHEELHOUSE_SOPS = sopsBinary;
});
afterAll(() => {
  for (const [name, value] of [
    ['WHEELHOUSE_SOPS', saved.sops],
    ['SOPS_AGE_KEY_FILE', saved.key],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const CONFIG = 'apps:\n  - { name: web, path: apps/web }\n';
const clear = (secret: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: web }\nspec:\n  content: ${secret}\n`;
const ONLY_CONTENT = ['--encrypted-regex', '^content$'];
const KEY = 'local/File/web/web';

describe.skipIf(missing !== undefined)('SOPS-encrypted manifests', () => {
  it('decrypt and deploy; wrong key, tampered value and missing key fail with the reason and keep the last good state', async () => {
    const keys = await tmp('keys');
    const wheelhouse = await ageKey(keys, 'wheelhouse');
    const stranger = await ageKey(keys, 'stranger');
    process.env.SOPS_AGE_KEY_FILE = wheelhouse.file;
    const work = await tmp('work');
    const first = await sopsEncrypt(
      work,
      'm.yaml',
      clear('hunter2-first-secret'),
      wheelhouse.recipient,
      ONLY_CONTENT,
    );
    expect(first).toContain('ENC[AES256_GCM');
    expect(first).not.toContain('hunter2');

    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': CONFIG, 'apps/web/m.yaml': first },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const events: WheelhouseEvent[] = [];
    h.engine.events.subscribe((e) => events.push(e));

    expect(driver.liveSpec('web', KEY)?.content).toBe('hunter2-first-secret');
    expect(h.engine.status('web').revision).toBe(h.head);

    // A new secret: applied, and the change set, history and events mask both values.
    const second = await sopsEncrypt(
      work,
      'm.yaml',
      clear('hunter2-second-secret'),
      wheelhouse.recipient,
      ONLY_CONTENT,
    );
    const good = await h.commit({ 'apps/web/m.yaml': second }, 'rotate the secret');
    await h.refresh();
    expect(driver.liveSpec('web', KEY)?.content).toBe('hunter2-second-secret');
    expect(h.engine.status('web').revision).toBe(good);

    const failsWith = async (file: string, reason: RegExp) => {
      const sha = await h.commit({ 'apps/web/m.yaml': file }, 'change');
      await h.refresh();
      const status = h.engine.status('web');
      expect(status.revision).toBe(good);
      expect(driver.liveSpec('web', KEY)?.content).toBe('hunter2-second-secret');
      expect(status.renderError?.revision).toBe(sha);
      expect(status.renderError?.message).toMatch(/apps\/web\/m\.yaml/);
      expect(status.renderError?.message).toMatch(reason);
    };

    // Tampered: one character of the encrypted value changed.
    const tampered = second.replace(
      /ENC\[AES256_GCM,data:(.)/,
      (_m, c: string) => `ENC[AES256_GCM,data:${c === 'A' ? 'B' : 'A'}`,
    );
    await failsWith(
      tampered,
      /cannot decrypt this SOPS file: .*; the file was changed after it was encrypted/,
    );
    // Encrypted for someone else: Wheelhouse holds no key that opens it.
    await failsWith(
      await sopsEncrypt(work, 'm.yaml', clear('hunter2-stranger'), stranger.recipient, ONLY_CONTENT),
      /cannot decrypt this SOPS file: .*did not match any of the recipients.*; Wheelhouse holds no key that opens it/,
    );
    // No key at all.
    process.env.SOPS_AGE_KEY_FILE = `${keys}/absent.txt`;
    await failsWith(
      await sopsEncrypt(work, 'm.yaml', clear('hunter2-third'), wheelhouse.recipient, ONLY_CONTENT),
      /cannot decrypt this SOPS file: .*absent\.txt: no such file or directory.*; the key file SOPS_AGE_KEY_FILE names cannot be read/,
    );
    process.env.SOPS_AGE_KEY_FILE = wheelhouse.file;

    // Every surface: status, history (change sets and messages), events, the diff text.
    const history = await h.store.listSyncs('web');
    const surfaces = JSON.stringify({
      status: h.engine.status('web'),
      apps: h.engine.apps(),
      history,
      events,
      diff: await h.engine.diff('web').catch((err: unknown) => String(err)),
    });
    expect(history.length).toBeGreaterThanOrEqual(2);
    for (const secret of [
      'hunter2-first-secret',
      'hunter2-second-secret',
      'hunter2-stranger',
      'hunter2-third',
    ])
      expect(surfaces).not.toContain(secret);
  });
});
