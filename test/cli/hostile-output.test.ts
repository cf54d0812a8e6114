import { beforeAll, describe, expect, it } from 'vitest';
import { apiServers, type TestServer } from '../support/api-server.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

/*
 * The real `wheelhouse` command against the real server:
 * - issue 12 item 14: a lock reason, a commit subject and an error message holding a window-title
 *   sequence, a screen clear and an OSC 52 clipboard write reached the terminal raw;
 * - issue 12 item 11: an app whose source could not be fetched showed Synced/Healthy, no error.
 */
const start = apiServers();
const createStore = sqliteStores();
const at = '2026-01-01T00:00:00.000Z';

describe('wheelhouse apps and status with hostile text and failing sources', () => {
  let server: TestServer;
  const cli = (colour: boolean, ...args: string[]) =>
    runCli(
      [...args, '--data', server.dataDir],
      cliEnv({ WHEELHOUSE_URL: server.url, ...(colour ? { FORCE_COLOR: '1', NO_COLOR: undefined } : {}) }),
    );

  beforeAll(async () => {
    await ensureBuilt();
    const engine = createFakeEngine({
      config: emptyConfig(),
      apps: [
        appStatus('web', {
          commitSubject: 'fix\u001b[2J\u001b[H',
          lock: { app: 'web', holder: 'web:mallory', reason: '\u001b]0;owned\u0007freeze', createdAt: at },
          lastError: { code: 'SYNC_FAILED', message: 'boom \u001b]52;c;ZXZpbA==\u0007', at },
          sourceError: { message: 'fetching https://git.example.com/x failed: disk full', since: at, at },
        }),
      ],
    });
    server = await start({ engine, store: await createStore() });
  });

  it('shows control characters visibly, with and without colour', async () => {
    for (const colour of [false, true]) {
      const detail = await cli(colour, 'status', 'web');
      expect(detail.code).toBe(0);
      expect(detail.stdout).toContain('\\x1b]0;owned\\x07freeze');
      expect(detail.stdout).toContain('fix\\x1b[2J\\x1b[H');
      expect(detail.stdout).toContain('boom \\x1b]52;c;ZXZpbA==\\x07');
      expect(detail.stdout).not.toContain('\u001b]');
      expect(detail.stdout).not.toContain('\u001b[2J');
      expect(detail.stdout).not.toContain('\u0007');
    }
  });

  it('shows a source that cannot be fetched in apps and status', async () => {
    const apps = await cli(false, 'apps');
    expect(apps.stdout).toMatch(/^web \[locked\] \[source error\]\s+dev/m);
    expect(apps.stdout).toContain(
      'web: cannot fetch its source: fetching https://git.example.com/x failed: disk full',
    );
    const status = await cli(false, 'status', 'web');
    expect(status.stdout).toMatch(
      /source\s+cannot fetch since \d+d ago, showing the last fetched state: fetching https:\/\/git\.example\.com\/x failed: disk full/,
    );
  });
});
