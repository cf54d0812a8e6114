import { describe, expect, it } from 'vitest';
import { isWheelhouseError } from '../../../src/core/index.js';
import { freePortPrefix } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import {
  alive,
  applyContext,
  desired,
  getJson,
  processDrivers,
  REPLICA,
  replicasOf,
  writePrograms,
} from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

function web(prefix: string, version: string, extra: Record<string, unknown> = {}, replicas = 3) {
  const { env, ...rest } = extra as { env?: Record<string, string> };
  return desired('Process', 'web', {
    command: [process.execPath, 'server.cjs'],
    env: { PORT: `${prefix}${REPLICA}`, VERSION: version, ...env },
    replicas,
    health: {
      http: { url: `http://127.0.0.1:${prefix}${REPLICA}/healthz` },
      periodSeconds: 0.5,
      failureThreshold: 2,
    },
    ...rest,
  });
}

const versionOf = async (prefix: string, i: number) =>
  (await getJson<{ version: string }>(`http://127.0.0.1:${prefix}${i}/info`)).version;

describe('rolling updates', () => {
  it('rolls replicas one at a time; an unhealthy new spec stops the roll and the rest keep the old spec', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const prefix = await freePortPrefix();

    await driver.apply(web(prefix, 'v1'), applyContext(checkout).ctx);
    const v1 = await replicasOf(driver, web(prefix, 'v1').key);
    expect(v1.map((r) => r.running)).toEqual([true, true, true]);

    // v2 rolls: each replica is stopped, started and healthy before the next one is touched.
    const { ctx, progress } = applyContext(checkout);
    await driver.apply(web(prefix, 'v2'), ctx);
    const steps = progress
      .filter((p) => /replica \d\/3(: starting| healthy)/.test(p))
      .map((p) => p.replace(/^.*: /, ''));
    expect(
      progress.filter((p) => /replica \d\/3/.test(p)).map((p) => /replica (\d)\/3/.exec(p)?.[1]),
    ).toEqual(['1', '1', '1', '2', '2', '2', '3', '3', '3']);
    expect(steps).toEqual([
      'starting',
      'replica 1/3 healthy',
      'starting',
      'replica 2/3 healthy',
      'starting',
      'replica 3/3 healthy',
    ]);
    for (const i of [0, 1, 2]) expect(await versionOf(prefix, i)).toBe('v2');
    const v2 = await replicasOf(driver, web(prefix, 'v2').key);
    for (const [i, r] of v2.entries()) {
      expect(r.pid).not.toBe(v1[i]?.pid);
      expect(alive(v1[i]?.pid)).toBe(false);
    }

    // v3 never becomes healthy: replica 0 fails, the roll stops, replicas 1 and 2 keep v2.
    const broken = web(prefix, 'v3', { env: { UNHEALTHY: '1' } });
    (broken.spec.health as Record<string, unknown>).startupSeconds = 5;
    const err = await driver.apply(broken, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'DRIVER_FAILED')).toBe(true);
    const message = (err as Error).message;
    expect(message).toMatch(/replica 0 did not become healthy/);
    expect(message).toMatch(/answered 500/);
    expect(message).toMatch(/replicas 1\.\.2 keep running their previous spec/);
    expect(message).toMatch(/listening replica=0 version=v3/); // its log tail
    expect(await versionOf(prefix, 0)).toBe('v3');
    expect(await versionOf(prefix, 1)).toBe('v2');
    expect(await versionOf(prefix, 2)).toBe('v2');
    const after = await replicasOf(driver, broken.key);
    expect(after[1]?.pid).toBe(v2[1]?.pid);
    expect(after[2]?.pid).toBe(v2[2]?.pid);

    // observe reports the goal spec and why the target is not there yet.
    const [live] = await driver.observe('shop');
    expect(live?.spec).toEqual(broken.spec);
    expect(live?.drift).toMatch(/replica 1 runs an earlier spec; the last roll stopped/);
    expect(live?.health.status).toBe('Degraded');

    // Fixing the spec rolls everything again.
    await driver.apply(web(prefix, 'v4'), applyContext(checkout).ctx);
    for (const i of [0, 1, 2]) expect(await versionOf(prefix, i)).toBe('v4');
    const [fixed] = await driver.observe('shop');
    expect(fixed?.drift).toBeUndefined();
    expect(fixed?.health.status).toBe('Healthy');
  });

  it('scales down by removing the highest replicas, and an unchanged spec leaves healthy replicas alone', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const prefix = await freePortPrefix();
    await driver.apply(web(prefix, 'v1'), applyContext(checkout).ctx);
    const before = await replicasOf(driver, web(prefix, 'v1').key);

    const { ctx, progress } = applyContext(checkout);
    await driver.apply(web(prefix, 'v1', {}, 1), ctx);
    const after = await replicasOf(driver, web(prefix, 'v1').key);
    expect(after.map((r) => r.index)).toEqual([0]);
    expect(after[0]?.pid).toBe(before[0]?.pid);
    expect(alive(before[1]?.pid)).toBe(false);
    expect(alive(before[2]?.pid)).toBe(false);
    expect(
      progress.filter((p) => /stopping replica/.test(p)).map((p) => /replica (\d)/.exec(p)?.[1]),
    ).toEqual(['2', '1']);
  });

  it('restarts a dead replica when the same spec is applied again (self-heal)', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const prefix = await freePortPrefix();
    const spec = web(prefix, 'v1', { restart: 'never' }, 2);
    await driver.apply(spec, applyContext(checkout).ctx);
    const before = await replicasOf(driver, spec.key);
    const victim = before[1]?.pid;
    if (!victim) throw new Error('no pid');
    process.kill(-victim, 'SIGKILL');
    const [drifted] = await waitFor('the killed replica to show as drift', async () => {
      const live = await driver.observe('shop');
      return live[0]?.drift ? live : undefined;
    });
    expect(drifted?.drift).toMatch(/replica 1 is not running \(was killed by SIGKILL\)/);
    expect(drifted?.health.status).toBe('Missing');

    await driver.apply(spec, applyContext(checkout).ctx);
    const after = await replicasOf(driver, spec.key);
    expect(after[0]?.pid).toBe(before[0]?.pid);
    expect(after[1]?.pid).not.toBe(victim);
    expect(after[1]?.running).toBe(true);
    expect(await versionOf(prefix, 1)).toBe('v1');
  });

  it('stops waiting when the sync is cancelled, naming the replica', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const prefix = await freePortPrefix();
    const slow = web(prefix, 'v1', { env: { UNHEALTHY: '1' } }, 1);
    // The default grace period is long: only the cancellation ends the wait here.
    const { ctx, abort } = applyContext(checkout);
    const pending = driver.apply(slow, ctx);
    await waitFor('the replica to start', async () => (await replicasOf(driver, slow.key))[0]?.running);
    abort.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'HEALTH_TIMEOUT')).toBe(true);
    expect((err as Error).message).toMatch(/replica 0/);
  });
});
