import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkStoreContinuity } from '../../src/cli/up/store-continuity.js';
import { createPostgresStore, createSqliteStore } from '../../src/store/index.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { tempDirs } from '../support/tmp.js';
import { runWheelhouse } from '../support/wheelhouse-process.js';

const tmp = tempDirs();

/**
 * Issue 12, item 4. Repro: deleting (or truncating) `wheelhouse.db` and running `wheelhouse up`
 * again silently started a fresh store: audit, users, history and locks were gone.
 */
describe('wheelhouse up with a lost store', () => {
  let repo: string;
  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('control');
    await createRepo(repo, { 'wheelhouse.yaml': 'apps: []\n' });
  });

  const up = async (data: string, ...extra: string[]) =>
    runWheelhouse(
      [
        'up',
        '--repo',
        repo,
        '--data',
        data,
        '--port',
        String(await freePort()),
        '--log-format',
        'json',
        ...extra,
      ],
      { cwd: repo },
    );
  const exitOf = (child: ReturnType<typeof runWheelhouse>['child']) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  it('refuses a missing or empty wheelhouse.db next to earlier state; --reset-store starts over, audited first', async () => {
    const data = await tmp('data');
    const db = join(data, 'wheelhouse.db');
    const first = await up(data);
    await first.waitForMessage(/Wheelhouse is up/);
    await first.stop();

    for (const f of ['wheelhouse.db', 'wheelhouse.db-wal', 'wheelhouse.db-shm'])
      await rm(join(data, f), { force: true });
    const missing = await up(data);
    expect(await exitOf(missing.child)).not.toBe(0);
    const refusal = missing.messages.join('\n');
    expect(refusal).toContain(`refusing to start: the data dir ${data} holds state from an earlier run`);
    expect(refusal).toContain('an admin token (admin-token)');
    expect(refusal).toContain(`the store at sqlite:${db} is missing`);
    expect(refusal).toContain('wheelhouse up --reset-store');

    // `wheelhouse user add` would create the schema and hide the loss from the next `up`: refused too.
    const user = await runCli(['user', 'add', 'bob', '--data', data], cliEnv());
    expect(user.code).not.toBe(0);
    expect(user.stderr).toContain(`the store at sqlite:${db} is missing`);

    await writeFile(db, '');
    const empty = await up(data);
    expect(await exitOf(empty.child)).not.toBe(0);
    expect(empty.messages.join('\n')).toContain(`the store at sqlite:${db} is empty`);

    const reset = await up(data, '--reset-store');
    await reset.waitForMessage(/Wheelhouse is up/);
    await reset.stop();
    const store = await createSqliteStore({ file: db });
    try {
      const [entry] = await store.listAudit({ afterSeq: 0, limit: 1 });
      expect(entry).toMatchObject({ seq: 1, action: 'store.reset' });
      expect(entry?.details).toMatchObject({ previousStore: 'empty' });
    } finally {
      await store.close();
    }

    // The next plain start is a normal restart.
    const again = await up(data);
    await again.waitForMessage(/Wheelhouse is up/);
    await again.stop();
  });
});

describe.skipIf(postgresMissing())('a lost PostgreSQL store', () => {
  const cluster = usePostgresCluster();

  it('refuses an empty database when the data dir says one was in use, accepts a used one', async () => {
    const data = await tmp('data');
    const url = await cluster.createDatabase('continuity');
    expect(await checkStoreContinuity(data, url, false)).toMatchObject({ state: 'empty', earlier: [] });
    await (await createPostgresStore({ connectionString: url })).close();
    await writeFile(join(data, 'store.json'), JSON.stringify({ store: url }));
    expect(await checkStoreContinuity(data, url, false)).toMatchObject({ state: 'used' });

    const blank = await cluster.createDatabase('continuity-blank');
    await expect(checkStoreContinuity(data, blank, false)).rejects.toThrow(
      /holds state from an earlier run \(store\.json records a store used before .*\), but the store at postgres:\/\/.* is empty/,
    );
    expect(await checkStoreContinuity(data, blank, true)).toMatchObject({ state: 'empty' });
  });
});
