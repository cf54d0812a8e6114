import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const run = promisify(execFile);
const tmp = tempDirs();
const root = process.getuid?.() === 0;

/**
 * What the attacker in issue 12 item 1 wanted: the admin token, the database, the mirrors, the
 * driver's records, and Wheelhouse's own environment. It answers with what it got.
 */
const SPY = `import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
const data = process.env.DATA;
const attempt = (what) => { try { what(); return 'read'; } catch (err) { return err.code; } };
createServer((req, res) => res.end(JSON.stringify({
  pid: process.pid,
  uid: process.getuid(),
  adminToken: attempt(() => readFileSync(join(data, 'admin-token'))),
  database: attempt(() => readFileSync(join(data, 'wheelhouse.db'))),
  dataDir: attempt(() => readdirSync(data)),
  targets: attempt(() => readdirSync(join(data, 'targets'))),
  mirrors: attempt(() => readdirSync(join(data, 'git', 'mirrors'))),
  env: Object.keys(process.env).sort(),
}))).listen(Number(process.env.PORT), '127.0.0.1');
`;

const ENGINE_SECRETS = {
  WHEELHOUSE_TOKEN: 'wht_engine-secret-token',
  SLACK_BOT_TOKEN: 'xoxb-engine-secret',
  GH_HOOK_SECRET: 'hook-secret',
};

describe.skipIf(!root)('wheelhouse up as root: workloads cannot reach its secrets (issue 12 item 1)', () => {
  let repo: string;
  let data: string;
  let port: number;
  let up: WheelhouseProcess | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    data = join(await tmp('data'), 'wheelhouse-data');
    port = await freePort();
    await createRepo(repo, {
      'wheelhouse.yaml':
        'apps:\n  - name: spy\n    path: apps/spy\nwebhooks:\n  github: { secretEnv: GH_HOOK_SECRET }\n',
      'services/spy/spy.mjs': SPY,
      'apps/spy/spy.yaml': `apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: spy }\nspec:\n  command: ["node", "spy.mjs"]\n  cwd: services/spy\n  env: { PORT: "${port}", DATA: "${data}" }\n  health: { http: { url: "http://127.0.0.1:${port}/" } }\n`,
    });
  });

  afterAll(async () => {
    await up?.stop();
    await run(process.execPath, [BIN, 'down', '--data', data]).catch(() => undefined);
  });

  it('runs the workload as nobody, with a private data dir and none of the engine environment', async () => {
    up = runWheelhouse(['up', '--repo', repo, '--data', data, '--log-format', 'json', '--port', '0'], {
      cwd: repo,
      env: ENGINE_SECRETS,
    });
    await up.waitForMessage(/^spy: sync succeeded/);
    const seen = await waitFor('the spy to answer', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      return res?.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
    });

    const status = readFileSync(`/proc/${String(seen.pid)}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(seen).toMatchObject({
      uid: 65534,
      adminToken: 'EACCES',
      database: 'EACCES',
      dataDir: 'EACCES',
      targets: 'EACCES',
      mirrors: 'EACCES',
    });
    // PATH and LANG from Wheelhouse, HOME of nobody, the spec's env: none of ENGINE_SECRETS.
    const expected = [
      'DATA',
      'HOME',
      'PATH',
      'PORT',
      'WHEELHOUSE_REPLICA',
      ...(process.env.LANG ? ['LANG'] : []),
    ];
    expect(seen.env).toEqual(expected.sort());

    const mode = (path: string) => (statSync(join(data, path)).mode & 0o777).toString(8);
    expect(mode('.')).toBe('711');
    expect(mode('admin-token')).toBe('600');
    expect(mode('wheelhouse.db')).toBe('600');
    expect(mode('targets')).toBe('700');
    expect(mode('git/mirrors')).toBe('700');
    expect(up.messages.some((m) => /target local: workloads run as nobody/.test(m))).toBe(true);
  });
});
