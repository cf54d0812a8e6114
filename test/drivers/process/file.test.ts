import { watch } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DriverEvent, isWheelhouseError } from '../../../src/core/index.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext, desired, processDrivers } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

async function setup() {
  const stateDir = await tmp('state');
  const root = join(stateDir, 'files');
  const driver = makeDriver({ stateDir });
  await driver.start();
  const events: DriverEvent[] = [];
  driver.watch?.((event) => events.push(event));
  return { driver, root, stateDir, events, ...applyContext(await tmp('checkout')) };
}

describe('File', () => {
  it('writes the file under the root with its mode, and observes it in sync', async () => {
    const { driver, root, ctx } = await setup();
    const conf = desired('File', 'conf', { path: 'conf/app.toml', content: 'port = 8080\n', mode: '0600' });
    await driver.apply(conf, ctx);
    const path = join(root, 'conf', 'app.toml');
    expect(await readFile(path, 'utf8')).toBe('port = 8080\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // No temporary files are left behind.
    expect(await readdir(join(root, 'conf'))).toEqual(['app.toml']);

    const [live] = await driver.observe('shop');
    expect(live).toMatchObject({
      key: conf.key,
      kind: 'File',
      spec: conf.spec,
      health: { status: 'Healthy' },
    });
    expect(live?.drift).toBeUndefined();

    // A changed spec rewrites it.
    await driver.apply(desired('File', 'conf', { path: 'conf/app.toml', content: 'port = 9090\n' }), ctx);
    expect(await readFile(path, 'utf8')).toBe('port = 9090\n');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
  });

  it('creates missing directories readable by workloads (0755) whatever the umask, at any depth', async () => {
    const { driver, root, ctx } = await setup();
    const before = process.umask(0o077); // as `wheelhouse up` runs
    try {
      await driver.apply(desired('File', 'deep', { path: 'a/b/c/deep.txt', content: 'x' }), ctx);
      await driver.apply(desired('File', 'side', { path: 'a/b/d/side.txt', content: 'y' }), ctx);
    } finally {
      process.umask(before);
    }
    for (const dir of ['a', 'a/b', 'a/b/c', 'a/b/d'])
      expect({ dir, mode: (await stat(join(root, dir))).mode & 0o777 }).toEqual({ dir, mode: 0o755 });
    expect(await readFile(join(root, 'a/b/c/deep.txt'), 'utf8')).toBe('x');
    expect(await readFile(join(root, 'a/b/d/side.txt'), 'utf8')).toBe('y');
  });

  it('reports a hand edit as drift with the observed content, and tells watchers at once', async () => {
    const { driver, root, ctx, events } = await setup();
    const conf = desired('File', 'conf', { path: 'app.toml', content: 'debug = false\n' });
    await driver.apply(conf, ctx);
    const path = join(root, 'app.toml');

    await writeFile(path, 'debug = true\n');
    const event = await waitFor('a watch event for the edit', () => events.find((e) => e.key === conf.key));
    expect(event.reason).toMatch(/edited by hand/);
    const [live] = await driver.observe('shop');
    expect(live?.drift).toBe('the content was edited by hand');
    expect(live?.spec).toEqual({ ...conf.spec, content: 'debug = true\n' });

    // Applying again heals it.
    await driver.apply(conf, ctx);
    expect(await readFile(path, 'utf8')).toBe('debug = false\n');
    const [healed] = await driver.observe('shop');
    expect(healed?.drift).toBeUndefined();

    await chmod(path, 0o666);
    const [chmodded] = await driver.observe('shop');
    expect(chmodded?.drift).toBe('its mode changed from 0644 to 0666');
    expect(chmodded?.spec).toMatchObject({ mode: '0666' });
    await driver.apply(conf, ctx);

    await rm(path);
    const [deleted] = await driver.observe('shop');
    expect(deleted?.drift).toBe('the file was deleted by hand');
    expect(deleted?.health.status).toBe('Missing');
    expect(deleted?.spec).toEqual({ path: 'app.toml', mode: '0644' });
  });

  it('does not report a touch that leaves content and mode as they were', async () => {
    const { driver, root, ctx } = await setup();
    const conf = desired('File', 'conf', { path: 'same.txt', content: 'same\n' });
    await driver.apply(conf, ctx);
    await writeFile(join(root, 'same.txt'), 'same\n');
    const [live] = await driver.observe('shop');
    expect(live?.drift).toBeUndefined();
  });

  it('refuses a path that is itself a link leading out, also beside Files already written', async () => {
    const { driver, root, ctx } = await setup();
    const outside = await tmp('outside-file');
    await writeFile(join(outside, 'target.txt'), 'theirs\n');
    // A File first, so its directory exists: the next one takes the driver's quick way.
    await driver.apply(desired('File', 'first', { path: 'conf/first.txt', content: 'a' }), ctx);
    await symlink(join(outside, 'target.txt'), join(root, 'conf', 'second.txt'));
    const second = desired('File', 'second', { path: 'conf/second.txt', content: 'mine\n' });
    const err = await driver.apply(second, ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect((err as Error).message).toMatch(/spec\.path "conf\/second\.txt" is refused: a symbolic link/);
    expect(await readFile(join(outside, 'target.txt'), 'utf8')).toBe('theirs\n');
  });

  it('refuses paths that escape the root, also through a symbolic link', async () => {
    const { driver, root, ctx } = await setup();
    const outside = await tmp('outside');
    await mkdir(root, { recursive: true });
    await symlink(outside, join(root, 'link'));
    const sneaky = desired('File', 'sneaky', { path: 'link/evil.txt', content: 'x' });
    const err = await driver.apply(sneaky, ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect((err as Error).message).toMatch(/spec\.path "link\/evil\.txt" is refused: a symbolic link/);
    expect(await readdir(outside)).toEqual([]);

    // `..` and absolute paths never get past validation; the driver refuses them too.
    for (const path of ['../evil.txt', '/tmp/evil.txt']) {
      const bad = { ...desired('File', 'x', { path: 'ok.txt', content: 'x' }), spec: { path, content: 'x' } };
      const refused = await driver.apply(bad, ctx).catch((e: unknown) => e);
      expect(isWheelhouseError(refused, 'MANIFEST_INVALID'), path).toBe(true);
    }
  });

  it('refuses a path another resource already manages', async () => {
    const { driver, root, ctx } = await setup();
    await driver.apply(desired('File', 'a', { path: 'shared.txt', content: 'a' }), ctx);
    const err = await driver
      .apply(
        desired('File', 'b', { path: 'shared.txt', content: 'b' }, 'other'),
        applyContext(root, { app: 'other' }).ctx,
      )
      .catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'CONFLICT')).toBe(true);
    expect((err as Error).message).toMatch(/already managed by local\/File\/shop\/a/);
  });

  it('follows a directory link that stays inside the root to the File it leads to', async () => {
    const { driver, root, ctx } = await setup();
    await driver.apply(desired('File', 'a', { path: 'v2/app.txt', content: 'a' }), ctx);
    await symlink(join(root, 'v2'), join(root, 'current'));
    // The same file through the link: the other app's File is refused, not written over it.
    const err = await driver
      .apply(
        desired('File', 'b', { path: 'current/app.txt', content: 'b' }, 'other'),
        applyContext(root, { app: 'other' }).ctx,
      )
      .catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'CONFLICT')).toBe(true);
    expect(await readFile(join(root, 'v2', 'app.txt'), 'utf8')).toBe('a');
    // Through the link to a new file: written where the link leads.
    await driver.apply(desired('File', 'c', { path: 'current/new.txt', content: 'c' }), ctx);
    expect(await readFile(join(root, 'v2', 'new.txt'), 'utf8')).toBe('c');
  });

  it('writes where the root leads now when the root is a link moved to another directory', async () => {
    const stateDir = await tmp('state');
    const [blue, green] = [await tmp('blue'), await tmp('green')];
    const root = join(stateDir, 'root');
    await symlink(blue, root);
    const driver = makeDriver({ stateDir, options: { root } });
    await driver.start();
    const { ctx } = applyContext(await tmp('checkout'));
    await driver.apply(desired('File', 'a', { path: 'conf/a.txt', content: 'a' }), ctx);
    expect(await readFile(join(blue, 'conf', 'a.txt'), 'utf8')).toBe('a');
    await mkdir(join(green, 'conf'));
    await rm(root);
    await symlink(green, root);
    await driver.apply(desired('File', 'b', { path: 'conf/b.txt', content: 'b' }), ctx);
    expect(await readdir(join(green, 'conf'))).toEqual(['b.txt']);
    expect(await readdir(join(blue, 'conf'))).toEqual(['a.txt']);
  });

  it('removes the file and the directories it left empty', async () => {
    const { driver, root, ctx } = await setup();
    const conf = desired('File', 'conf', { path: 'deep/er/app.toml', content: 'x' });
    await driver.apply(conf, ctx);
    await writeFile(join(root, 'keep.txt'), 'not ours');
    const [live] = await driver.observe('shop');
    if (!live) throw new Error('not observed');
    await driver.remove(live, ctx);
    expect(await readdir(root)).toEqual(['keep.txt']);
    expect(await driver.observe('shop')).toEqual([]);
  });

  it('moves the file when its path changes', async () => {
    const { driver, root, ctx } = await setup();
    await driver.apply(desired('File', 'conf', { path: 'old/app.toml', content: 'x' }), ctx);
    await driver.apply(desired('File', 'conf', { path: 'new/app.toml', content: 'x' }), ctx);
    expect((await readdir(root)).sort()).toEqual(['new']);
  });

  it('writes through its staging directory: the destination sees only the finished file', async () => {
    const stateDir = await tmp('state');
    const staging = join(stateDir, 'staging');
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, '4242-1.tmp'), 'left by a crash');
    const driver = makeDriver({ stateDir });
    await driver.start();
    expect(await readdir(staging)).toEqual([]);

    const { ctx } = applyContext(await tmp('checkout'));
    const dir = join(stateDir, 'files', 'conf');
    await mkdir(dir, { recursive: true });
    const seen = new Set<string>();
    const watcher = watch(dir, (_event, name) => {
      if (name) seen.add(String(name));
    });
    try {
      await driver.apply(desired('File', 'a', { path: 'conf/a.toml', content: 'a = 1\n' }), ctx);
      await driver.apply(desired('File', 'b', { path: 'conf/b.toml', content: 'b = 2\n' }), ctx);
      await waitFor('both files seen by a watcher of their directory', () => seen.size >= 2 || undefined);
    } finally {
      watcher.close();
    }
    // A workload watching its directory never sees a temporary file appear there.
    expect([...seen].sort()).toEqual(['a.toml', 'b.toml']);
    expect(await readdir(staging)).toEqual([]);
    expect(await readFile(join(dir, 'b.toml'), 'utf8')).toBe('b = 2\n');
  });

  it('writes beside the destination when the root is on another filesystem than its state', async () => {
    const stateDir = await tmp('state');
    // /dev/shm is a tmpfs: a rename from the state directory into it fails with EXDEV.
    const other = await mkdtemp('/dev/shm/wh-root-');
    try {
      expect((await stat(other)).dev).not.toBe((await stat(stateDir)).dev);
      const driver = makeDriver({ stateDir, options: { root: other } });
      await driver.start();
      const { ctx } = applyContext(await tmp('checkout'));
      for (const name of ['a', 'b']) {
        await driver.apply(desired('File', name, { path: `conf/${name}.toml`, content: `${name}\n` }), ctx);
      }
      expect((await readdir(join(other, 'conf'))).sort()).toEqual(['a.toml', 'b.toml']);
      expect(await readFile(join(other, 'conf', 'a.toml'), 'utf8')).toBe('a\n');
      expect(await readdir(join(stateDir, 'staging'))).toEqual([]);
      const [live] = await driver.observe('shop');
      expect(live?.drift).toBeUndefined();
      await driver.stop();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
