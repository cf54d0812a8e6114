import { createHash } from 'node:crypto';
import { readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWheelhouseError, type LogLine } from '../../../src/core/index.js';
import { freePortPrefix } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import {
  alive,
  applyContext,
  capturingLogger,
  desired,
  getJson,
  processDrivers,
  REPLICA,
  replicasOf,
  serverProcess,
  serverSetup,
  writePrograms,
} from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

async function collect(iterable: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of iterable) out.push(line);
  return out;
}

describe('Process', () => {
  it('starts a process that answers, with env, cwd and its health checked', async () => {
    const { checkout, driver, port } = await serverSetup(makeDriver, tmp, { programsIn: 'services/web' });
    const web = serverProcess(port, {
      cwd: 'services/web',
      env: { GREETING: `hello from replica ${REPLICA}` },
      health: { http: { url: `http://127.0.0.1:${port}/healthz`, expectStatus: 200 }, periodSeconds: 1 },
    });
    const { ctx, progress } = applyContext(checkout);
    await driver.apply(web, ctx);

    const info = await getJson(`http://127.0.0.1:${port}/info`);
    expect(info.greeting).toBe('hello from replica 0');
    expect(info.replica).toBe('0');
    expect(info.cwd).toBe(join(checkout, 'services', 'web'));
    // A minimal environment: nothing of the engine's leaks besides PATH, HOME, LANG.
    expect(info.envNames).toEqual(['GREETING', 'HOME', 'PATH', 'PORT', 'WHEELHOUSE_REPLICA']);
    expect(progress.some((p) => /replica 1\/1 healthy/.test(p))).toBe(true);

    const [live] = await driver.observe('shop');
    expect(live).toMatchObject({
      key: web.key,
      kind: 'Process',
      spec: web.spec,
      health: { status: 'Healthy' },
    });
    expect(live?.drift).toBeUndefined();
    expect(await driver.health('shop', web.key)).toMatchObject({ status: 'Healthy' });
    expect(await driver.observe('other-app')).toEqual([]);

    // The log pump writes what it reads on its own time: wait for the line, then check its shape.
    const lines = await waitFor('the listening line in the log', async () => {
      const found = await collect(driver.logs('shop', web.key, { tail: 10, follow: false }));
      return found.length > 0 ? found : undefined;
    });
    expect(lines).toContainEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      stream: 'stdout',
      source: 'replica-0',
      text: 'listening replica=0 version=',
    });
  });

  it('expands the replica placeholder in env and in the health check of each replica', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const prefix = await freePortPrefix();
    const web = desired('Process', 'web', {
      command: [process.execPath, 'server.cjs'],
      env: { PORT: `${prefix}${REPLICA}` },
      replicas: 3,
      health: { http: { url: `http://127.0.0.1:${prefix}${REPLICA}/healthz` } },
    });
    await driver.apply(web, applyContext(checkout).ctx);
    for (const i of [0, 1, 2]) {
      const info = await getJson(`http://127.0.0.1:${prefix}${i}/info`);
      expect(info.replica).toBe(String(i));
    }
    const replicas = await replicasOf(driver, web.key);
    expect(replicas.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(new Set(replicas.map((r) => r.pid)).size).toBe(3);
  });

  it('runs exec checks in the replica environment and reports a failing check as Degraded', async () => {
    const { checkout, driver, port } = await serverSetup(makeDriver, tmp);
    const flag = join(await tmp('flag'), 'broken');
    // Healthy while the flag file is absent and the check's (expanded) argument equals the replica's env.
    const check = [
      process.execPath,
      '-e',
      'const broken = require("fs").existsSync(process.env.FLAG);' +
        'if (broken) console.error("flag is set");' +
        'process.exit(broken ? 1 : process.argv[1] === process.env.WHEELHOUSE_REPLICA ? 0 : 3)',
      REPLICA,
    ];
    const web = serverProcess(port, {
      env: { FLAG: flag },
      health: { exec: { command: check }, periodSeconds: 0.2, failureThreshold: 2, timeoutSeconds: 10 },
    });
    await driver.apply(web, applyContext(checkout).ctx);
    expect(await driver.health('shop', web.key)).toMatchObject({ status: 'Healthy' });

    await writeFile(flag, '');
    const degraded = await waitFor('a failing check', async () => {
      const h = await driver.health('shop', web.key);
      return h.status === 'Degraded' ? h : undefined;
    });
    expect(degraded.message).toMatch(
      /replica 0: health check failed \d+ times in a row: .* exited with code 1: flag is set/,
    );
    await rm(flag);
    await waitFor('health again', async () => (await driver.health('shop', web.key)).status === 'Healthy');
  });

  it('passes secretEnv to the child but never stores or logs the value', async () => {
    const secret = 'hunter2-s3cr3t-value';
    const { log, lines: logLines } = capturingLogger();
    const { checkout, stateDir, driver, port } = await serverSetup(makeDriver, tmp, {
      log,
      env: { PATH: process.env.PATH, WEB_API_TOKEN: secret },
    });
    const web = serverProcess(port, { secretEnv: { API_TOKEN: { fromEnv: 'WEB_API_TOKEN' } } });
    await driver.apply(web, applyContext(checkout).ctx);

    const info = await getJson(`http://127.0.0.1:${port}/info`);
    expect(info.secretSha).toBe(createHash('sha256').update(secret).digest('hex'));

    const records = await readdir(join(stateDir, 'resources'));
    expect(records.length).toBe(1);
    for (const name of records) {
      const text = await readFile(join(stateDir, 'resources', name), 'utf8');
      expect(text).toContain('WEB_API_TOKEN'); // the name is recorded, the value never
      expect(text).not.toContain(secret);
    }
    expect(logLines.join('\n')).not.toContain(secret);
    // The program printed it; what the driver shows people is redacted.
    const shown = await waitFor('the token line in the log', async () => {
      const lines = await collect(driver.logs('shop', web.key, { tail: 10, follow: false }));
      return lines.some((l) => l.text === 'token=***') ? lines : undefined;
    });
    expect(JSON.stringify(shown)).not.toContain(secret);
    expect(JSON.stringify(await driver.observe('shop'))).not.toContain(secret);
  });

  it('refuses a missing secret, naming the resource and the variable, before starting anything', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state'), env: { PATH: process.env.PATH } });
    await driver.start();
    const web = desired('Process', 'web', {
      command: [process.execPath, 'server.cjs'],
      secretEnv: { API_TOKEN: { fromEnv: 'WEB_API_TOKEN' } },
    });
    const err = await driver.apply(web, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/local\/Process\/shop\/web/);
    expect((err as Error).message).toMatch(/WEB_API_TOKEN/);
    expect(await replicasOf(driver, web.key)).toEqual([]);
  });

  it('refuses a cwd that leaves the checkout, also through a symbolic link', async () => {
    const checkout = await tmp('checkout');
    const outside = await tmp('outside');
    await symlink(outside, join(checkout, 'escape'));
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const web = desired('Process', 'web', { command: [process.execPath, '-e', ''], cwd: 'escape' });
    const err = await driver.apply(web, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect((err as Error).message).toMatch(/spec\.cwd "escape" is refused: a symbolic link/);

    const missing = desired('Process', 'web', { command: [process.execPath, '-e', ''], cwd: 'nope' });
    const err2 = await driver.apply(missing, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err2, 'INPUT_REFUSED')).toBe(true);
    expect((err2 as Error).message).toMatch(/not a directory/);
  });

  it('reports a program that cannot be started with a clear error', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const web = desired('Process', 'web', { command: ['no-such-program-wheelhouse'], restart: 'never' });
    const err = await driver.apply(web, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'DRIVER_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/"no-such-program-wheelhouse" was not found/);
    // Issue 12 item 18: the message printed the workload's whole PATH; it says how to fix instead.
    expect((err as Error).message).toContain('install it on the target host');
    expect((err as Error).message).not.toContain('PATH=');
    expect((err as Error).message).not.toContain('/usr/bin');
    const [live] = await driver.observe('shop');
    expect(live?.health).toMatchObject({
      status: 'Missing',
      message: expect.stringMatching(/could not start/),
    });
    // Its own failure is health, not drift: nothing outside Git changed the target (issue 14, item 7).
    expect(live?.drift).toBeUndefined();
  });

  it('removes a Process: stops its replicas and forgets it', async () => {
    const { checkout, driver, port } = await serverSetup(makeDriver, tmp);
    const web = serverProcess(port);
    const { ctx } = applyContext(checkout);
    await driver.apply(web, ctx);
    const [replica] = await replicasOf(driver, web.key);
    expect(alive(replica?.pid)).toBe(true);
    const [live] = await driver.observe('shop');
    if (!live) throw new Error('not observed');
    await driver.remove(live, ctx);
    expect(alive(replica?.pid)).toBe(false);
    expect(await driver.observe('shop')).toEqual([]);
    expect(await driver.health('shop', web.key)).toMatchObject({ status: 'Missing' });
  });
});
