import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../src/core/index.js';
import { apiServers, type TestServer } from '../support/api-server.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli, spawnCli } from '../support/cli.js';
import { appStatus, createFakeEngine, emptyConfig, type FakeEngine } from '../support/fake-engine.js';
import { sqliteStores, type TestStore, tamperAuditRow } from '../support/sqlite-store.js';
import { waitFor } from '../support/wait-for.js';

const start = apiServers();
const createStore = sqliteStores();

const ESC = '\u001b[';

describe('wheelhouse CLI client against a server', () => {
  let server: TestServer;
  let engine: FakeEngine;
  let store: TestStore;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    await ensureBuilt();
    engine = createFakeEngine({
      config: emptyConfig(),
      apps: [
        appStatus('api', {
          syncStatus: 'OutOfSync',
          health: { status: 'Degraded', message: 'web: exited with code 1' },
          lock: {
            app: 'api',
            holder: 'web:alice',
            reason: 'release freeze',
            createdAt: new Date().toISOString(),
          },
        }),
        appStatus('web', { commitSubject: 'New greeting' }),
      ],
    });
    engine.setDiff('web', {
      app: 'web',
      revision: 'b'.repeat(40),
      changes: [
        {
          key: 'local/Process/web/web',
          kind: 'Process',
          name: 'web',
          action: 'configured',
          fields: [{ path: 'spec.env.GREETING', live: 'hello', desired: 'hi' }],
        },
      ],
      text: '~ Process web (configured)\n    ~ spec.env.GREETING: "hello" -> "hi"\n\nSummary: 0 created, 1 configured, 0 deleted, 0 unchanged.',
    });
    engine.setLogs('web', 'web', [
      { stream: 'stdout', source: 'web-0', text: 'listening on 7080' },
      { at: '2026-12-04T16:08:08.123Z', stream: 'stderr', source: 'web-0', text: 'warning: slow start' },
    ]);
    store = await createStore();
    server = await start({ engine, store });
    env = cliEnv({ WHEELHOUSE_URL: server.url });
  });

  it('lists apps as a table without colour when not on a terminal, and as the API JSON with --json', async () => {
    const table = await cli('apps', '--data', server.dataDir);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain(ESC);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ENV\s+TARGET\s+SYNC\s+HEALTH\s+REVISION\s+LAST SYNC$/);
    expect(lines[1]).toMatch(/^api \[locked\]\s+dev\s+local\s+OutOfSync\s+✗ Degraded\s+aaaaaaa\s+never$/);
    expect(lines[2]).toMatch(/^web\s+dev\s+local\s+Synced\s+✓ Healthy/);

    const json = await cli('apps', '--json', '--data', server.dataDir);
    const api = await (await server.api('/api/v1/apps')).json();
    expect(JSON.parse(json.stdout)).toEqual(api);

    const colored = await runCli(
      ['apps', '--data', server.dataDir],
      cliEnv({ WHEELHOUSE_URL: server.url, FORCE_COLOR: '1', NO_COLOR: undefined }),
    );
    expect(colored.stdout).toContain(ESC);
    const noColor = await runCli(
      ['apps', '--data', server.dataDir],
      cliEnv({ WHEELHOUSE_URL: server.url, FORCE_COLOR: '1', NO_COLOR: '1' }),
    );
    expect(noColor.stdout).not.toContain(ESC);
  });

  it('takes the token from WHEELHOUSE_TOKEN or from --data, and says what to do when it is refused or missing', async () => {
    const viaEnv = await runCli(
      ['apps'],
      cliEnv({ WHEELHOUSE_URL: server.url, WHEELHOUSE_TOKEN: server.token }),
    );
    expect(viaEnv.code).toBe(0);
    const refused = await runCli(
      ['apps'],
      cliEnv({ WHEELHOUSE_URL: server.url, WHEELHOUSE_TOKEN: 'not-a-valid-token-at-all' }),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /token refused by http:\/\/127\.0\.0\.1:\d+ .*set WHEELHOUSE_TOKEN.*--data/,
    );
    const noToken = await runCli(['apps', '--data', join(server.dataDir, 'nowhere')], env);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/no API token: set WHEELHOUSE_TOKEN, or pass --data/);
  });

  it('says how to start a server when none answers', async () => {
    const closed = await start({ engine: createFakeEngine(), store: await createStore() });
    const url = closed.url;
    await writeFile(join(closed.dataDir, 'admin-token'), `${closed.token}\n`);
    await closed.close();
    const result = await runCli(['status', '--data', closed.dataDir], cliEnv({ WHEELHOUSE_URL: url }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no server at ${url} — start one with \`wheelhouse up\``);
  });

  it('shows status of all apps and of one app with its resources, lock and health message', async () => {
    const all = await cli('status', '--data', server.dataDir);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/2 apps: 1 OutOfSync, 1 Synced; 1 Degraded, 1 Healthy/);
    const one = await cli('status', 'api', '--data', server.dataDir);
    expect(one.stdout).toMatch(/lock\s+held by web:alice .*release freeze/);
    expect(one.stdout).toMatch(/health ✗ Degraded \(web: exited with code 1\)/);
    expect(one.stdout).toMatch(/KIND\s+NAME\s+SYNC\s+HEALTH\s+MESSAGE\nProcess\s+web\s+Synced\s+✓ Healthy/);
    const json = await cli('status', 'web', '--json', '--data', server.dataDir);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'web',
      commitSubject: 'New greeting',
      resources: [{ name: 'web' }],
    });
    const unknown = await cli('status', 'nope', '--data', server.dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/error: no app named nope/);
  });

  it('prints the diff and its JSON', async () => {
    const diff = await cli('diff', 'web', '--data', server.dataDir);
    expect(diff.code).toBe(1); // differences, like `git diff --exit-code`
    expect(diff.stdout).toContain('~ spec.env.GREETING: "hello" -> "hi"');
    expect(diff.stdout).toContain('1 resource(s) differ from Git at bbbbbbb');
    const json = JSON.parse((await cli('diff', 'web', '--json', '--data', server.dataDir)).stdout);
    expect(json.changes[0]).toMatchObject({ action: 'configured', name: 'web' });
    const clean = await cli('diff', 'api', '--data', server.dataDir);
    expect(clean.stdout).toMatch(/No changes: api runs what Git declares/);
  });

  it('syncs and waits: exit 0 on success, 1 on failure, live progress lines, JSON of the final event', async () => {
    engine.setSyncOutcome('succeeded');
    const ok = await cli('sync', 'web', '--wait', '--data', server.dataDir);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/syncing web to aaaaaaa \(asked by api:admin\)/);
    expect(ok.stdout).toMatch(/web: applying web/);
    expect(ok.stdout).toMatch(/✓ sync of web succeeded at aaaaaaa: no changes, ✓ Healthy/);

    engine.setSyncOutcome('failed');
    const failed = await cli('sync', 'web', '--wait', '--revision', 'v2', '--data', server.dataDir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/✗ sync of web failed at v2/);
    expect(failed.stdout).toContain('web: process exited with code 1');

    const json = await cli('sync', 'web', '--wait', '--json', '--data', server.dataDir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      type: 'sync.finished',
      app: 'web',
      result: 'failed',
      record: { actor: 'api:admin' },
    });
    engine.setSyncOutcome('succeeded');

    const started = await cli('sync', 'web', '--dry-run', '--data', server.dataDir);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/Dry run of web started \(operation sync-\d+\)/);
    const startedJson = JSON.parse((await cli('sync', 'web', '--json', '--data', server.dataDir)).stdout);
    expect(startedJson).toMatchObject({
      app: 'web',
      dryRun: false,
      operationId: expect.stringMatching(/^sync-/),
    });
  });

  it('refreshes, shows history and the audit log, and verifies the audit chain', async () => {
    const refreshed = await cli('refresh', 'web', '--data', server.dataDir);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/Refreshed web: Git declares aaaaaaa, runs aaaaaaa; Synced, ✓ Healthy/);

    const record: SyncRecord = {
      id: 'sync-h',
      app: 'api',
      revision: 'c'.repeat(40),
      digest: 'd',
      actor: 'git:ccc',
      trigger: 'auto',
      dryRun: false,
      startedAt: new Date(Date.now() - 65_000).toISOString(),
      finishedAt: new Date(Date.now() - 60_000).toISOString(),
      result: 'failed',
      changeSet: [{ key: 'k', kind: 'Process', name: 'web', action: 'configured', fields: [] }],
      messages: ['web: health check failed'],
      health: { status: 'Degraded' },
    };
    engine.setHistory('api', [record]);
    const history = await cli('history', 'api', '--data', server.dataDir);
    expect(history.stdout).toMatch(/WHEN\s+REVISION\s+RESULT\s+ACTOR\s+TRIGGER\s+TOOK\s+CHANGES\s+HEALTH/);
    expect(history.stdout).toMatch(
      /1m ago\s+ccccccc\s+failed\s+git:ccc\s+auto\s+5\.0s\s+1 configured\s+✗ Degraded/,
    );
    expect(history.stdout).toContain('Last failure (ccccccc): web: health check failed');
    expect(
      JSON.parse((await cli('history', 'api', '--json', '--data', server.dataDir)).stdout).syncs[0].id,
    ).toBe('sync-h');

    const audit = await cli('audit', '--app', 'web', '--data', server.dataDir);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/SEQ\s+WHEN\s+ACTOR\s+ACTION\s+APP\s+DECISION\s+RESULT/);
    expect(audit.stdout).toMatch(/api:admin\s+api\.refresh\s+web\s+allowed\s+refreshed/);
    const verified = await cli('audit', '--verify', '--data', server.dataDir);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/✓ audit log intact: \d+ entries checked/);

    tamperAuditRow(store.file, 1, 'rewritten');
    const broken = await cli('audit', '--verify', '--data', server.dataDir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/✗ audit log BROKEN at entry 1/);
    const brokenJson = await cli('audit', '--verify', '--json', '--data', server.dataDir);
    expect(brokenJson.code).toBe(1);
    expect(JSON.parse(brokenJson.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
  });

  it('prints logs, picks the only resource, and follows with -f', async () => {
    const tail = await cli('logs', 'web', '--tail', '1', '--data', server.dataDir);
    expect(tail.code).toBe(0);
    // Each line names its replica and, when the driver knows it, when it was written.
    expect(tail.stdout).toBe('web-0 2026-12-04T16:08:08.123Z | warning: slow start\n');
    const many = await cli('logs', 'web', 'web', '--data', server.dataDir);
    expect(many.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const json = JSON.parse((await cli('logs', 'web', '--json', '--data', server.dataDir)).stdout);
    expect(json.lines).toHaveLength(2);
    expect(json.lines[1]).toEqual({
      at: '2026-12-04T16:08:08.123Z',
      stream: 'stderr',
      source: 'web-0',
      text: 'warning: slow start',
    });
    const missing = await cli('logs', 'web', 'db', '--data', server.dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no resource db/);
    const badTail = await cli('logs', 'web', '--tail', 'x', '--data', server.dataDir);
    expect(badTail.code).not.toBe(0);
    expect(badTail.stderr).toMatch(/--tail must be a whole number/);

    const follow = spawnCli(['logs', 'web', '-f', '--tail', '0', '--data', server.dataDir], env);
    try {
      await waitFor('the log stream to open', () => server.context.streams.size > 0);
      engine.pushLog('web', 'web', {
        at: '2026-12-04T16:09:00.000Z',
        stream: 'stdout',
        source: 'web-0',
        text: 'GET / 200',
      });
      await waitFor('the followed line', () =>
        follow.output().includes('web-0 2026-12-04T16:09:00.000Z | GET / 200'),
      );
    } finally {
      follow.child.kill('SIGINT');
    }
    expect(await follow.exited).toBe(0);
  });

  it('has help with examples for every command', async () => {
    for (const command of ['apps', 'status', 'diff', 'sync', 'refresh', 'history', 'logs', 'audit']) {
      const help = await cli(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain('Examples:');
      expect(help.stdout, command).toContain('--json');
      expect(help.stdout, command).toContain('WHEELHOUSE_URL');
    }
  });
});
