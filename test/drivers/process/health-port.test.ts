import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../../src/core/index.js';
import { groupListensOn } from '../../../src/drivers/process/port-owner.js';
import { readProcStat } from '../../../src/drivers/process/proc-stat.js';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext, desired, processDrivers, writePrograms } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

/** Another program on this host that holds the port the replica wants, answering 200 everywhere. */
let holder: Server | undefined;
async function holdPort(port: number): Promise<void> {
  holder = createHttpServer((_req, res) => res.end('not the replica'));
  await new Promise<void>((resolve) => holder?.listen(port, '127.0.0.1', resolve));
}
afterEach(async () => {
  await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  holder = undefined;
});

const checks = (port: number) => ({
  tcp: { tcp: { port }, periodSeconds: 1 },
  http: { http: { url: `http://127.0.0.1:${port}/healthz` }, periodSeconds: 1 },
});

describe('issue 12 item 10: a check passed against another process holding the port while the replica crash-looped', () => {
  for (const kind of ['tcp', 'http'] as const) {
    it(`a replica that dies with EADDRINUSE is never Healthy (${kind} check)`, async () => {
      const checkout = await tmp('checkout');
      await writePrograms(checkout);
      const port = await freePort();
      await holdPort(port);
      const driver = makeDriver({ stateDir: await tmp('state') });
      await driver.start();
      const seen: string[] = [];
      driver.watch?.((event: DriverEvent) => seen.push(event.reason));
      const web = desired('Process', `web-${kind}`, {
        command: [process.execPath, 'server.cjs'],
        env: { PORT: String(port) },
        health: checks(port)[kind],
      });

      const err = await driver.apply(web, applyContext(checkout).ctx).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/did not become healthy/);
      const degraded = await waitFor('the crash loop to be reported', async () => {
        const health = await driver.health('shop', web.key);
        return health.status === 'Degraded' ? health : undefined;
      });
      expect(degraded.message).toMatch(/crash loop: exited with code 1/);
      expect(degraded.message).toContain('EADDRINUSE');
      expect(seen.filter((reason) => /is Healthy/.test(reason))).toEqual([]);
    });
  }

  it('tells the group that listens on a port from one that does not', async () => {
    const port = await freePort();
    const listener = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await new Promise((resolve) => listener.stdout?.once('data', resolve));
      const pid = listener.pid ?? 0;
      const group = { pgid: pid, startTime: readProcStat(pid)?.startTime ?? null };
      expect(groupListensOn(port, group)).toBe(true);
      expect(groupListensOn(port, { pgid: 1, startTime: readProcStat(1)?.startTime ?? null })).toBe(false);
      expect(groupListensOn(await freePort(), group)).toBeUndefined(); // nobody listens there
    } finally {
      listener.kill('SIGKILL');
    }
  });
});
