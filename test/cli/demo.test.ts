import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { freePort, freePortPrefix } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const run = promisify(execFile);
const tmp = tempDirs();

/**
 * What `npm start` does on a fresh clone: `wheelhouse up` with no control repo runs the built-in
 * demo, whose web service answers; chat commands commit to the demo repo and converge. The demo's
 * ports are an option (issue 14, item 18: fixed 7080/7081 clashed with a second demo), so this
 * runs beside any other demo on ports of its own.
 */
describe('the built-in demo', () => {
  let cwd: string;
  let data: string;
  let port: number;
  let demoPort: number;
  let up: WheelhouseProcess | undefined;
  const cli = (...args: string[]) =>
    run(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, WHEELHOUSE_URL: `http://127.0.0.1:${port}`, NO_COLOR: '1' },
    });

  beforeAll(async () => {
    await ensureBuilt();
    demoPort = Number(await freePortPrefix()) * 10;
    cwd = await tmp('cwd');
    data = join(cwd, '.wheelhouse');
    port = await freePort();
    up = runWheelhouse(['up', '--port', String(port), '--log-format', 'json'], {
      cwd,
      env: { WHEELHOUSE_DEMO_PORT: String(demoPort) },
    });
  });

  afterAll(async () => {
    await up?.stop();
    await run(process.execPath, [BIN, 'down', '--data', data]).catch(() => undefined);
  });

  it('comes up on its own and its web service answers', async () => {
    const hint = await up?.waitForMessage(/Started the built-in demo/);
    expect(hint).toContain(`curl http://127.0.0.1:${demoPort}/`);
    await up?.waitForMessage(/^web: sync succeeded/);
    const body = await waitFor('the demo web service to answer', async () => {
      const res = await fetch(`http://127.0.0.1:${demoPort}/`).catch(() => undefined);
      return res?.ok ? res.text() : undefined;
    });
    expect(body).toBe('Hello from Wheelhouse\n');
    expect(await readFile(join(data, 'files/local/web/motd.txt'), 'utf8')).toContain('Managed by Wheelhouse');
  });

  it('takes a chat command as a commit to the demo repo and converges', async () => {
    const { stdout } = await cli('chat', 'scale web web 2').catch(
      (err: { stdout: string; stderr: string }) => {
        throw new Error(`chat failed:\n${err.stdout}\n${err.stderr}`);
      },
    );
    expect(stdout).toMatch(/scale web to 2 replicas/);
    const second = await waitFor('replica 1 to answer on the next port', async () => {
      const res = await fetch(`http://127.0.0.1:${demoPort + 1}/`).catch(() => undefined);
      return res?.ok ? res.text() : undefined;
    });
    expect(second).toBe('Hello from Wheelhouse\n');
    const { stdout: log } = await run('git', [
      '-C',
      join(data, 'demo-repo'),
      'log',
      '-1',
      '--format=%an%n%B',
    ]);
    expect(log).toContain('Wheelhouse-Actor: web:admin');
    const { stdout: tree } = await run('git', ['-C', join(data, 'demo-repo'), 'status', '--porcelain']);
    expect(tree.trim()).toBe('');
  });
});
