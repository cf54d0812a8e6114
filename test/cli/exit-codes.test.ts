// Issue 14, item 16: `diff` exited 0 when there were differences, and `sync --wait` exited 1 when
// the sync only waited for an approval while `wheelhouse chat` said 3 for the same situation.
import { beforeAll, describe, expect, it } from 'vitest';
import { WheelhouseError } from '../../src/core/index.js';
import { apiServers, type TestServer } from '../support/api-server.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

describe('wheelhouse exit codes', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--data', server.dataDir], env);

  beforeAll(async () => {
    await ensureBuilt();
    const engine = createFakeEngine({
      config: emptyConfig(),
      apps: [appStatus('web'), appStatus('api'), appStatus('prod-api')],
    });
    engine.setDiff('web', {
      app: 'web',
      revision: 'b'.repeat(40),
      changes: [
        { key: 'local/Process/web/web', kind: 'Process', name: 'web', action: 'created', fields: [] },
      ],
      text: '+ Process web (created)',
    });
    server = await start({
      engine,
      store: await createStore(),
      guard: async (request) => {
        if (request.app !== 'prod-api') return;
        throw new WheelhouseError(
          'APPROVAL_REQUIRED',
          `sync of prod-api needs 1 approval(s) in environment prod: request a1b2c3d4 waits`,
        );
      },
    });
    env = cliEnv({ WHEELHOUSE_URL: server.url });
  });

  it('diff exits 1 when the app differs from Git (was 0), 0 when it does not, in text and JSON', async () => {
    expect((await cli('diff', 'web')).code).toBe(1);
    expect((await cli('diff', 'web', '--json')).code).toBe(1);
    expect((await cli('diff', 'api')).code).toBe(0);
    expect((await cli('diff', 'api', '--json')).code).toBe(0);
  });

  it('diff exits 2 on an error (unknown app, no server), so a script can tell it from "differs"', async () => {
    const unknown = await cli('diff', 'wbe');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/error: no app named wbe/);
    const down = await runCli(['diff', 'web', '--url', 'http://127.0.0.1:9', '--data', server.dataDir], env);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/no server at http:\/\/127\.0\.0\.1:9/);
  });

  it('sync --wait that waits for an approval exits 3 like `wheelhouse chat` (was 1), naming the request', async () => {
    const waiting = await cli('sync', 'prod-api', '--wait');
    expect(waiting.code).toBe(3);
    expect(waiting.stderr).toMatch(/waiting for approval: .*request a1b2c3d4 waits/);
    expect((await cli('sync', 'prod-api')).code).toBe(3);
    expect((await cli('sync', 'web')).code).toBe(0);
  });
});
