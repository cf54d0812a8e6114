import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

/*
 * A target whose options its driver refuses (here a docker target with them nested under
 * `options:`) used to be accepted: the new app on it "could not be set up", which only a log line
 * said, and the app was missing from `apps` and `status`. Now the revision is refused like any
 * other invalid wheelhouse.yaml: the one in force stays, and `apps` says where and how to fix it.
 */
const tmp = tempDirs();

interface Listed {
  apps: { name: string }[];
  control: {
    revision?: string;
    problem?: { revision: string; issues: { line: number; path: string; message: string }[] };
  };
}

describe('a target its driver refuses', () => {
  let repo: string;
  let server: UpServer | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('control');
    await createRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n    interval: 2s\n',
      'apps/web/m.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: motd }\nspec: { path: motd.txt, content: hi }\n',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  /** `wheelhouse apps --json` once it answers and `ready` holds. */
  const listedWhen = (what: string, ready: (body: Listed) => boolean, timeoutMs?: number) =>
    waitFor(
      what,
      async () => {
        const result = await server?.cli('apps', '--json');
        if (result?.code !== 0) return undefined;
        const body = JSON.parse(result.stdout) as Listed;
        return ready(body) ? body : undefined;
      },
      timeoutMs === undefined ? {} : { timeoutMs },
    );

  it('keeps the configuration in force and names the field and the fix', async () => {
    server = await startUp(tmp, repo, ['--log-format', 'json']);
    const first = await listedWhen('web listed', () => true);
    expect(first.apps.map((a) => a.name)).toEqual(['web']);

    const bad = await commitFiles(
      repo,
      {
        'wheelhouse.yaml': [
          'targets:',
          '  box:',
          '    driver: docker',
          '    options:',
          '      host: tcp://127.0.0.1:2375',
          'apps:',
          '  - name: web',
          '    path: apps/web',
          '    interval: 2s',
          '  - name: api',
          '    path: apps/api',
          '    target: box',
          '',
        ].join('\n'),
        'apps/api/compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n',
      },
      'add api on a docker host',
    );
    const refused = await listedWhen(
      'the revision refused',
      (body) => body.control.problem?.revision === bad,
      60_000,
    );
    expect(refused.control.revision).toBe(first.control.revision);
    expect(refused.apps.map((a) => a.name)).toEqual(['web']);
    expect(refused.control.problem?.issues).toEqual([
      expect.objectContaining({
        line: 2,
        path: 'targets.box',
        message: expect.stringContaining(
          'Unrecognized key: "options" (options go directly under the target, e.g. targets.box.host, not under an options: key)',
        ),
      }),
    ]);
    // The person at the terminal sees the same, in words.
    const text = await server.cli('apps');
    expect(`${text.stdout}${text.stderr}`).toContain('wheelhouse.yaml:2:3 targets.box');
  }, 120_000);

  it('lists an app whose target does not start, with the target and the reason, instead of dropping it', async () => {
    if (!server) throw new Error('the first test starts wheelhouse up');
    // Valid options, but the user does not exist on this machine: the process driver cannot start.
    const head = await commitFiles(
      repo,
      {
        'wheelhouse.yaml': [
          'targets:',
          '  jobs:',
          '    driver: process',
          '    user: wh-no-such-user',
          'apps:',
          '  - name: web',
          '    path: apps/web',
          '    interval: 2s',
          '  - name: batch',
          '    path: apps/batch',
          '    target: jobs',
          '',
        ].join('\n'),
        'apps/batch/m.yaml':
          'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: out }\nspec: { path: out.txt, content: x }\n',
      },
      'batch on its own target',
    );
    const listed = await listedWhen(
      'batch listed',
      (body) => body.control.revision === head && body.apps.some((a) => a.name === 'batch'),
      60_000,
    );
    expect(listed.apps.map((a) => a.name).sort()).toEqual(['batch', 'web']);
    const status = await server.cli('status', 'batch', '--json');
    const body = JSON.parse(status.stdout) as {
      health: { message: string };
      lastError?: { message: string };
    };
    expect(body.health.message).toBe('not managed: targets.jobs has errors');
    expect(body.lastError?.message).toContain(
      'wheelhouse.yaml:2:3 targets.jobs: app batch cannot be set up on target jobs:',
    );
    expect(body.lastError?.message).toContain('wh-no-such-user');
    // The app on the working target goes on as before.
    const web = JSON.parse((await server.cli('status', 'web', '--json')).stdout) as { syncStatus: string };
    expect(web.syncStatus).toBe('Synced');

    // Fixing the target in Git brings the app in: the driver is built again from the new options.
    const fixed = await commitFiles(
      repo,
      {
        'wheelhouse.yaml': (await readFile(join(repo, 'wheelhouse.yaml'), 'utf8')).replace(
          'wh-no-such-user',
          'nobody',
        ),
      },
      'run batch as nobody',
    );
    const synced = await waitFor(
      'batch synced after the fix',
      async () => {
        const result = await server?.cli('status', 'batch', '--json');
        if (result?.code !== 0) return undefined;
        const now = JSON.parse(result.stdout) as {
          syncStatus: string;
          revision?: string;
          lastError?: unknown;
        };
        return now.syncStatus === 'Synced' ? now : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(synced.lastError).toBeUndefined();
    const control = JSON.parse((await server.cli('apps', '--json')).stdout) as Listed;
    expect(control.control.revision).toBe(fixed);
  }, 120_000);
});
