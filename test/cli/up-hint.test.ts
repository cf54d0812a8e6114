// Issue 14, item 14: `up --port N` printed "try: wheelhouse apps --data DIR", which then failed
// against the default port 7070. The hint must be a command that works as printed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const run = promisify(execFile);
const tmp = tempDirs();

describe('the hint `wheelhouse up --port N` prints', () => {
  let up: WheelhouseProcess | undefined;
  let data: string;
  let elsewhere: string;
  let hint: string;

  beforeAll(async () => {
    await ensureBuilt();
    const repo = await tmp('repo');
    data = await tmp('data');
    elsewhere = await tmp('elsewhere');
    await createRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - name: docs\n    path: apps/docs\n',
      'apps/docs/readme.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
    });
    const port = await freePort();
    up = runWheelhouse(
      ['up', '--repo', repo, '--data', data, '--port', String(port), '--log-format', 'json'],
      {
        cwd: repo,
      },
    );
    const line = await up.waitForMessage(/^API at /);
    hint = /\(try: (.*)\)$/.exec(line)?.[1] ?? '';
  });

  afterAll(async () => {
    await up?.stop();
    await run(process.execPath, [BIN, 'down', '--data', data]).catch(() => undefined);
  });

  it('works when pasted as printed, from another directory, with no WHEELHOUSE_* set', async () => {
    const [command, env] = hint.split('   (or once: export ');
    expect(command).toMatch(/^wheelhouse apps --url http:\/\/127\.0\.0\.1:\d+ --data /);
    const args = (command ?? '').split(' ').slice(1);
    const result = await runCli(args, cliEnv(), elsewhere);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/docs/);

    // The environment form it offers works too.
    const vars = Object.fromEntries(
      (env ?? '')
        .replace(/\)$/, '')
        .split(' ')
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(Object.keys(vars)).toEqual(['WHEELHOUSE_URL', 'WHEELHOUSE_DATA']);
    const viaEnv = await runCli(['apps'], cliEnv(vars), elsewhere);
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toMatch(/docs/);
  });
});
