// Issue 14 item 4: a failed first sync followed by a sync that changed nothing, while the app was
// still Degraded, made LAST SYNC say "succeeded": the failure disappeared from `apps` and `status`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();

interface AppJson {
  health: { status: string };
  lastSync?: { id: string; result: string };
}

describe('LAST SYNC after a failed sync', () => {
  let server: UpServer | undefined;
  const cli = (...args: string[]) => {
    if (!server) throw new Error('wheelhouse up did not start');
    return server.cli(...args);
  };
  const app = async () => JSON.parse((await cli('status', 'svc', '--json')).stdout) as AppJson;

  beforeAll(async () => {
    await ensureBuilt();
    const repo = await tmp('repo');
    const closed = await freePort(); // nothing listens here: the health check never passes
    await createRepo(repo, {
      'wheelhouse.yaml':
        'apps:\n  - name: svc\n    path: apps/svc\n    interval: 1h\n    sync: { auto: true, retries: 0, timeout: 4s }\n',
      'apps/svc/svc.yaml': `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: svc }
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  health:
    http: { url: "http://127.0.0.1:${closed}/healthz" }
    periodSeconds: 1
    startupSeconds: 1
`,
    });
    server = await startUp(tmp, repo);
    await server.up.waitForMessage(/^svc: sync failed/);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('still shows the failure after a sync that changed nothing while the app stays Degraded', async () => {
    const failed = await waitFor('svc to be Degraded after its failed sync', async () => {
      const now = await app();
      return now.health.status === 'Degraded' && now.lastSync?.result === 'failed' ? now : undefined;
    });

    // A sync that changes nothing (the Process already runs as declared).
    await cli('sync', 'svc', '--wait');
    const history = JSON.parse((await cli('history', 'svc', '--json')).stdout) as {
      syncs: { id: string; result: string; changeSet: { action: string }[] }[];
    };
    const [newest] = history.syncs;
    expect(newest?.id).not.toBe(failed.lastSync?.id); // the no-op sync is in history...
    expect(newest?.changeSet.every((c) => c.action === 'unchanged')).toBe(true);

    const after = await app();
    expect(after.health.status).toBe('Degraded');
    expect(after.lastSync).toMatchObject({ id: failed.lastSync?.id, result: 'failed' }); // ...but does not hide the failure
    expect((await cli('apps')).stdout).toMatch(/svc .*Degraded .*failed/);
  });
});
