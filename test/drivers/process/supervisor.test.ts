import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DriverEvent, isWheelhouseError } from '../../../src/core/index.js';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import {
  alive,
  applyContext,
  capturingLogger,
  desired,
  getJson,
  processDrivers,
  replicasOf,
  supervisorPasses,
  writePrograms,
} from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

const decoys: number[] = [];
afterAll(() => {
  for (const pid of decoys) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function server(port: number, extra: Record<string, unknown> = {}) {
  const { env, ...rest } = extra as { env?: Record<string, string> };
  return desired('Process', 'web', {
    command: [process.execPath, 'server.cjs'],
    env: { PORT: String(port), ...env },
    health: { http: { url: `http://127.0.0.1:${port}/healthz` }, periodSeconds: 0.5 },
    ...rest,
  });
}

describe('supervisor', () => {
  it('restarts a crashed process with exponential backoff and tells watchers', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const events: DriverEvent[] = [];
    driver.watch?.((event) => events.push(event));
    const port = await freePort();
    const web = server(port);
    await driver.apply(web, applyContext(checkout).ctx);
    const [first] = await replicasOf(driver, web.key);

    await fetch(`http://127.0.0.1:${port}/crash?code=3`);
    const second = await waitFor('a restarted replica', async () => {
      const [r] = await replicasOf(driver, web.key);
      return r?.running && r.pid !== first?.pid ? r : undefined;
    });
    expect(second.restarts).toBe(1);
    expect(second.lastExit).toBe('exited with code 3');
    expect(second.lastBackoffMs).toBe(200); // backoffInitialMs
    expect(events.some((e) => e.key === web.key && /exited with code 3/.test(e.reason))).toBe(true);
    await waitFor('health again', async () => (await driver.health('shop', web.key)).status === 'Healthy');

    // A second crash in a row waits twice as long before the restart.
    await fetch(`http://127.0.0.1:${port}/crash?code=4`);
    const third = await waitFor('a second restart', async () => {
      const [r] = await replicasOf(driver, web.key);
      return r?.running && r.pid !== second.pid ? r : undefined;
    });
    expect(third.restarts).toBe(2);
    expect(third.lastBackoffMs).toBe(400);

    // Killed by hand: restarted too.
    if (!third.pid) throw new Error('no pid');
    process.kill(third.pid, 'SIGKILL');
    const fourth = await waitFor('a restart after SIGKILL', async () => {
      const [r] = await replicasOf(driver, web.key);
      return r?.running && r.pid !== third.pid && r.health === 'Healthy' ? r : undefined;
    });
    expect(fourth.lastExit).toBe('was killed by SIGKILL');
    expect((await getJson(`http://127.0.0.1:${port}/info`)).pid).toBe(fourth.pid);
  });

  it('reports a crash loop as Degraded with the last log lines', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state'), options: { crashLoopThreshold: 3 } });
    await driver.start();
    const port = await freePort();
    const web = server(port, { env: { CRASH_AT_START: 'fatal: database url is not set' } });

    const err = await driver.apply(web, applyContext(checkout).ctx).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'DRIVER_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/exited with code 1 before becoming healthy/);
    expect((err as Error).message).toMatch(/fatal: database url is not set/);

    const health = await waitFor('a crash loop', async () => {
      const h = await driver.health('shop', web.key);
      return h.status === 'Degraded' ? h : undefined;
    });
    expect(health.message).toMatch(/crash loop: exited with code 1, \d+ times in a row/);
    expect(health.message).toMatch(/fatal: database url is not set/);
    const [r] = await replicasOf(driver, web.key);
    expect(r?.restarts).toBeGreaterThanOrEqual(2);
    // In a crash loop the supervisor keeps trying; it is not drift for the engine to fix.
    const [live] = await driver.observe('shop');
    expect(live?.health.status).toBe('Degraded');
  });

  it('re-adopts running processes after a restart of the driver without restarting them', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const port = await freePort();
    const web = server(port, { replicas: 1 });
    const job = desired('Job', 'migrate', { command: [process.execPath, '-e', 'console.log("migrated")'] });

    const first = makeDriver({ stateDir });
    await first.start();
    await first.apply(job, applyContext(checkout).ctx);
    await first.apply(web, applyContext(checkout).ctx);
    const before = await replicasOf(first, web.key);
    await first.stop();
    expect(alive(before[0]?.pid)).toBe(true); // stopping the driver leaves workloads running

    const secondLog = capturingLogger();
    const second = makeDriver({ stateDir, log: secondLog.log });
    await second.start();
    const events: DriverEvent[] = [];
    second.watch?.((event) => events.push(event));
    const live = await second.observe('shop');
    expect(live.map((r) => r.key).sort()).toEqual([job.key, web.key].sort());
    expect(live.find((r) => r.key === job.key)?.appliedDigest).toBe('d'.repeat(40));
    const adopted = live.find((r) => r.key === web.key);
    expect(adopted?.health.status).toBe('Healthy'); // it was healthy: no flap to Progressing
    expect(adopted?.drift).toBeUndefined();
    expect(adopted?.spec).toEqual(web.spec);

    // Give the supervisor many passes and a few health checks; nothing may be restarted.
    const info = await getJson(`http://127.0.0.1:${port}/info`);
    await supervisorPasses(secondLog.lines, 10); // at 100 ms a pass: longer than the 300 ms min uptime
    expect((await second.health('shop', web.key)).status).toBe('Healthy');
    const after = await replicasOf(second, web.key);
    expect(after[0]?.pid).toBe(before[0]?.pid);
    expect(after[0]?.restarts).toBe(0);
    expect(info.pid).toBe(before[0]?.pid);
    expect(events).toEqual([]);

    // The re-adopted process is still supervised: killing it gets it restarted.
    if (!before[0]?.pid) throw new Error('no pid');
    process.kill(before[0].pid, 'SIGKILL');
    const restarted = await waitFor('the re-adopted process to be restarted', async () => {
      const [r] = await replicasOf(second, web.key);
      return r?.running && r.pid !== before[0]?.pid ? r : undefined;
    });
    expect(restarted.lastExit).toMatch(/exit status unknown/);
    expect(events.some((e) => e.key === web.key)).toBe(true);
  });

  it('does not adopt (or signal) a process that reused a recorded pid', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const port = await freePort();
    const web = server(port);
    const first = makeDriver({ stateDir });
    await first.start();
    await first.apply(web, applyContext(checkout).ctx);
    const [original] = await replicasOf(first, web.key);
    await first.stop();
    if (!original?.pid) throw new Error('no pid');
    process.kill(-original.pid, 'SIGKILL');
    await waitFor('the original to die', () => !alive(original.pid));

    // Another program now holds the recorded pid (simulated by writing its pid into the record).
    const decoy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const decoyPid = decoy.pid;
    if (!decoyPid) throw new Error('decoy did not start');
    decoys.push(decoyPid);
    const dir = join(stateDir, 'resources');
    const [file] = await readdir(dir);
    if (!file) throw new Error('no record');
    const record = JSON.parse(await readFile(join(dir, file), 'utf8'));
    record.replicas[0].pid = decoyPid;
    await writeFile(join(dir, file), JSON.stringify(record));

    const secondLog = capturingLogger();
    const second = makeDriver({ stateDir, log: secondLog.log });
    await second.start();
    const restarted = await waitFor('a fresh healthy replica', async () => {
      const [r] = await replicasOf(second, web.key);
      return r?.running && r.pid !== decoyPid && r.health === 'Healthy' ? r : undefined;
    });
    expect(restarted.pid).not.toBe(original.pid);
    expect((await getJson(`http://127.0.0.1:${port}/info`)).pid).toBe(restarted.pid);
    await second.teardown?.();
    expect(alive(decoyPid)).toBe(true); // never signalled
    expect(alive(restarted.pid)).toBe(false);
  });

  it('stops with stopSignal, and SIGKILLs a process that ignores it after stopTimeoutSeconds', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const { log, lines } = capturingLogger();
    const driver = makeDriver({ stateDir: await tmp('state'), log });
    await driver.start();
    const [p1, p2] = [await freePort(), await freePort()];
    const stubborn = desired('Process', 'stubborn', {
      command: [process.execPath, 'server.cjs'],
      env: { PORT: String(p1), IGNORE_SIGTERM: '1' },
      health: { tcp: { port: p1 } },
      stopTimeoutSeconds: 0.5,
    });
    const polite = desired('Process', 'polite', {
      command: [process.execPath, 'server.cjs'],
      env: { PORT: String(p2) },
      health: { tcp: { port: p2 } },
      stopSignal: 'SIGINT',
    });
    await driver.apply(stubborn, applyContext(checkout).ctx);
    await driver.apply(polite, applyContext(checkout).ctx);
    const [s] = await replicasOf(driver, stubborn.key);
    const [p] = await replicasOf(driver, polite.key);

    await driver.teardown?.();
    expect(alive(s?.pid)).toBe(false);
    expect(alive(p?.pid)).toBe(false);
    const text = async (key: string) => {
      const out: string[] = [];
      for await (const line of driver.logs('shop', key, { tail: 20, follow: false })) out.push(line.text);
      return out;
    };
    expect(await text(stubborn.key)).toContain('got SIGTERM, ignoring it');
    expect(await text(polite.key)).toContain('got SIGINT');
    const warnings = lines.filter((l) => /sending SIGKILL/.test(l));
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/stubborn.*did not exit within 0\.5s after SIGTERM/);
  });

  it('teardown stops every workload, and they stay stopped until the next apply', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const driver = makeDriver({ stateDir });
    await driver.start();
    const [p1, p2] = [await freePort(), await freePort()];
    const a = server(p1);
    const b = desired(
      'Process',
      'api',
      {
        command: [process.execPath, 'server.cjs'],
        env: { PORT: String(p2) },
        health: { tcp: { port: p2 } },
      },
      'other',
    );
    await driver.apply(a, applyContext(checkout).ctx);
    await driver.apply(b, applyContext(checkout, { app: 'other' }).ctx);
    const pids = [...(await replicasOf(driver, a.key)), ...(await replicasOf(driver, b.key, 'other'))].map(
      (r) => r.pid,
    );
    expect(pids.every(alive)).toBe(true);

    await driver.teardown?.();
    expect(pids.some(alive)).toBe(false);
    const [live] = await driver.observe('shop');
    expect(live?.health.status).toBe('Missing');
    expect(live?.drift).toMatch(/it was stopped/);
    await driver.stop();

    // A new driver does not bring them back by itself; an apply does.
    const nextLog = capturingLogger();
    const next = makeDriver({ stateDir, log: nextLog.log });
    await next.start();
    await supervisorPasses(nextLog.lines, 10); // far more than a crash backoff's first 200 ms
    expect((await replicasOf(next, a.key)).some((r) => r.running)).toBe(false);
    await next.apply(a, applyContext(checkout).ctx);
    expect((await replicasOf(next, a.key)).every((r) => r.running)).toBe(true);
  });
});
