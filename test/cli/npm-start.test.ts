import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/build.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const tmp = tempDirs();

/** `npm start` runs scripts/start.mjs, which runs `wheelhouse up` as its child. */
describe('npm start', () => {
  let start: WheelhouseProcess | undefined;
  afterAll(async () => {
    await start?.stop();
  });

  it('passes a SIGTERM on to wheelhouse up, so no server is left behind without a parent', async () => {
    await ensureBuilt();
    const repo = await tmp('control');
    await createRepo(repo, { 'wheelhouse.yaml': 'apps: []\n' });
    const port = await freePort();
    const healthz = `http://127.0.0.1:${port}/healthz`;
    start = runWheelhouse(
      [
        '--repo',
        repo,
        '--data',
        join(await tmp('data'), 'd'),
        '--port',
        String(port),
        '--log-format',
        'json',
      ],
      { cwd: ROOT, entry: join(ROOT, 'scripts', 'start.mjs') },
    );
    await waitFor('the server to answer', async () => (await fetch(healthz).catch(() => undefined))?.ok);

    expect(await start.stop()).not.toBeNull();
    const gone = await waitFor(
      'the server to stop answering',
      async () =>
        (await fetch(healthz).then(
          () => false,
          () => true,
        ))
          ? true
          : undefined,
      { timeoutMs: 15_000 },
    );
    expect(gone).toBe(true);
  });
});
