import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { BIN, ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const run = promisify(execFile);
const tmp = tempDirs();

const API = `
import { createServer } from 'node:http';
createServer((req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');
`;

/**
 * The engine is killed with SIGKILL in the middle of a sync and started again: the healthy
 * workload is not restarted, the history record of the interrupted sync is kept and completes.
 */
describe('engine killed mid-sync', () => {
  let repo: string;
  let data: string;
  let port: number;
  let up: WheelhouseProcess | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    data = await tmp('data');
    port = await freePort();
    await createRepo(repo, {
      'wheelhouse.yaml':
        'apps:\n  - name: api\n    path: apps/api\n    interval: 1s\n  - name: web\n    path: apps/web\n    interval: 1s\n',
      'services/api/server.mjs': API,
      'apps/api/api.yaml': `apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: api }\nspec:\n  command: ["node", "server.mjs"]\n  cwd: services/api\n  env: { PORT: "${port}" }\n  health: { tcp: { port: ${port} } }\n`,
      'apps/web/site.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: site }\nspec: { path: site/index.html, content: "v1" }\n',
    });
  });

  afterAll(async () => {
    await up?.stop();
    await run(process.execPath, [BIN, 'down', '--data', data]).catch(() => undefined);
  });

  const pid = async () => (await fetch(`http://127.0.0.1:${port}/`)).text();
  const start = () =>
    runWheelhouse(['up', '--repo', repo, '--data', data, '--log-format', 'json', '--port', '0'], {
      cwd: repo,
    });

  it('resumes the interrupted sync and leaves healthy processes alone', async () => {
    up = start();
    await up.waitForMessage(/^api: sync succeeded/);
    await up.waitForMessage(/^web: sync succeeded/);
    const apiPid = await pid();

    // A PreSync Job that waits for a gate file holds the web sync open.
    const gate = join(data, 'gate');
    const job = `apiVersion: wheelhouse/v1\nkind: Job\nmetadata: { name: wait-for-gate }\nspec:\n  command: ["node", "-e", "const fs = require('node:fs'); setInterval(() => fs.existsSync(process.env.GATE) && process.exit(0), 100)"]\n  env: { GATE: "${gate}" }\n`;
    const next = await commitFiles(
      repo,
      {
        'apps/web/gate.yaml': job,
        'apps/web/site.yaml':
          'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: site }\nspec: { path: site/index.html, content: "v2" }\n',
      },
      'web v2 behind a gate',
    );
    await up.waitForMessage(new RegExp(`^web: syncing ${next.slice(0, 7)}`));
    const store = await openStore(`sqlite:${join(data, 'wheelhouse.db')}`);
    const running = await waitFor('the web sync to be recorded as running', async () =>
      (await store.listRunningSyncs()).find((r) => r.app === 'web'),
    );
    await store.close();
    await up.kill9();

    await writeFile(gate, 'open');
    up = start();
    await up.waitForMessage(new RegExp(`^web: sync succeeded at ${next.slice(0, 7)}`));
    expect(await pid()).toBe(apiPid);

    const reopened = await openStore(`sqlite:${join(data, 'wheelhouse.db')}`);
    const history = await reopened.listSyncs('web');
    await reopened.close();
    const resumed = history.find((r) => r.id === running.id);
    expect(resumed).toMatchObject({ result: 'succeeded', revision: next });
    expect(resumed?.messages).toContain('resumed after the engine restarted');
    expect(history.filter((r) => r.result === 'running')).toHaveLength(0);
    expect(history.some((r) => r.revision !== next && r.result === 'succeeded')).toBe(true);
  });
});
