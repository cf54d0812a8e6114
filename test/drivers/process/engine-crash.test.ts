import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { alive, getJson, processDrivers, replicasOf, writePrograms } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();
const engineScript = fileURLToPath(new URL('./fixtures/engine.ts', import.meta.url));

describe('an engine killed with SIGKILL', () => {
  it('leaves its workloads and their logging running, and the next engine re-adopts them without a restart', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const port = await freePort();

    // The engine runs in its own process group, as it would in a terminal; the whole group is killed.
    const engine = spawn(
      process.execPath,
      ['--import', 'tsx', engineScript, stateDir, checkout, String(port)],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    engine.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const status = await waitFor(
      'the engine to apply',
      () => {
        const line = output.split('\n').find((l) => l.startsWith('{'));
        return line ? (JSON.parse(line) as { replicas: { pid: number }[] }) : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const pid = status.replicas[0]?.pid;
    expect(alive(pid)).toBe(true);

    const exited = once(engine, 'exit');
    if (!engine.pid) throw new Error('engine has no pid');
    process.kill(-engine.pid, 'SIGKILL');
    await exited;

    expect(alive(pid)).toBe(true);
    expect((await getJson(`http://127.0.0.1:${port}/info`)).pid).toBe(pid);

    const next = makeDriver({ stateDir });
    await next.start();
    const [replica] = await replicasOf(next, 'local/Process/shop/web');
    expect(replica).toMatchObject({ pid, running: true, restarts: 0 });
    expect((await next.health('shop', 'local/Process/shop/web')).status).toBe('Healthy');

    // Its log pump lived on too (its own session): what it printed after the crash is in the log.
    await fetch(`http://127.0.0.1:${port}/say?text=after%20the%20crash`);
    await waitFor('the line printed after the crash', async () => {
      for await (const line of next.logs('shop', 'local/Process/shop/web', { tail: 5, follow: false })) {
        if (line.text === 'after the crash') return true;
      }
      return undefined;
    });
  });
});
