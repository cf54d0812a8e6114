import { describe, expect, it } from 'vitest';
import type { Driver, ResourceNode } from '../../../src/core/index.js';
import { shortSha } from '../../../src/util/short-sha.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext, desired, processDrivers, serverProcess, serverSetup } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

async function treeOf(driver: Driver, key: string): Promise<ResourceNode[]> {
  const live = (await driver.observe('shop')).find((r) => r.key === key);
  return live?.children ?? [];
}

describe('process driver: the resource tree', () => {
  it('shows one row per replica with pid, restarts, last exit and probe; a kill changes only that row', async () => {
    const { checkout, driver, port } = await serverSetup(makeDriver, tmp);
    const web = serverProcess(port, {
      health: { http: { url: `http://127.0.0.1:${port}/healthz` }, periodSeconds: 0.5 },
    });
    const worker = desired('Process', 'worker', {
      command: [process.execPath, 'ticker.cjs'],
      env: { TICK_MS: '1000' },
      replicas: 2,
    });
    await driver.apply(web, applyContext(checkout).ctx);
    await driver.apply(worker, applyContext(checkout).ctx);

    const [webReplica] = await waitFor('a probed web replica', async () => {
      const nodes = await treeOf(driver, web.key);
      return nodes[0]?.probe ? nodes : undefined;
    });
    expect(webReplica).toMatchObject({ kind: 'Replica', name: 'replica-0', restarts: 0 });
    expect(webReplica?.probe).toBe(`ok: GET http://127.0.0.1:${port}/healthz → 200`);
    expect(webReplica?.health.status).toBe('Healthy');

    const before = await waitFor('two healthy workers', async () => {
      const nodes = await treeOf(driver, worker.key);
      return nodes.length === 2 && nodes.every((n) => n.health.status === 'Healthy') ? nodes : undefined;
    });
    expect(before.map((n) => n.name)).toEqual(['replica-0', 'replica-1']);
    expect(before.every((n) => typeof n.pid === 'number' && n.restarts === 0 && !n.lastExit)).toBe(true);
    expect(before[0]?.probe).toBeUndefined(); // no check declared: nothing was probed

    const killed = before[1]?.pid;
    if (killed === undefined) throw new Error('replica 1 has no pid');
    process.kill(killed, 'SIGKILL');
    const after = await waitFor('replica 1 restarted', async () => {
      const nodes = await treeOf(driver, worker.key);
      const r1 = nodes[1];
      return r1?.pid !== undefined && r1.pid !== killed && r1.restarts === 1 ? nodes : undefined;
    });
    expect(after[1]?.lastExit).toBe('was killed by SIGKILL');
    expect(after[0]).toMatchObject({ pid: before[0]?.pid, restarts: 0 });
    expect(after[0]?.lastExit).toBeUndefined();
  });

  it('shows a Job’s last run under it, failed with its exit code', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const job = desired('Job', 'migrate', { command: [process.execPath, '-e', 'process.exit(4)'] });
    await driver.apply(job, applyContext(checkout, { revision: 'b'.repeat(40) }).ctx).catch(() => {});
    const [run] = await treeOf(driver, job.key);
    expect(run).toMatchObject({
      kind: 'Run',
      name: `at ${shortSha('b'.repeat(40))}`, // the one short form (util/short-sha.ts)
      health: { status: 'Degraded', message: 'failed: exited with code 4' },
      lastExit: 'exited with code 4',
    });
  });
});
