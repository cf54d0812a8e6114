// Issue 14 items 1 and 3: a wheelhouse.yaml that no longer validates, or a control ref that does
// not exist, showed nowhere but the server log: `apps` listed the old state (or "No apps", exit 0).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shortSha } from '../../src/util/index.js';
import { ensureBuilt } from '../support/build.js';
import { createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();
const running: UpServer[] = [];

const CONFIG =
  'notifications:\n  routes:\n    - { platform: web, channel: ops }\napps:\n  - name: docs\n    path: apps/docs\n';
const FILES = {
  'wheelhouse.yaml': CONFIG,
  'apps/docs/readme.yaml':
    'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
};

beforeAll(async () => {
  await ensureBuilt();
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

async function up(repo: string, extra: string[]) {
  const server = await startUp(tmp, repo, extra);
  running.push(server);
  return { ...server, proc: server.up };
}

describe('a control repo made with `git init` (branch master)', () => {
  async function masterRepo(): Promise<string> {
    const repo = await tmp('repo');
    await createRepo(repo, FILES);
    await git(repo, 'branch', '-m', 'main', 'master');
    return repo;
  }

  it('following main: the readable log, `apps` and `status` say why nothing is loaded and which --ref to use', async () => {
    const repo = await masterRepo();
    const { proc, cli } = await up(repo, ['--ref', 'main', '--log-format', 'pretty']);
    const line = await proc.waitForMessage(/cannot load wheelhouse\.yaml/);
    expect(line).toMatch(/ref 'main' does not exist in .*closest existing refs: master.* — use --ref master/);

    for (const command of [['apps'], ['status'], ['status', 'docs']]) {
      const result = await cli(...command);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^error: no apps are loaded: cannot load wheelhouse\.yaml from .* at main: ref 'main' does not exist.* — use --ref master; no apps are managed until it is fixed/,
      );
    }
    const json = await cli('apps', '--json');
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout) as {
      apps: unknown[];
      control: { ref: string; revision?: string; problem?: { message: string } };
    };
    expect(body.apps).toEqual([]);
    expect(body.control.ref).toBe('main');
    expect(body.control.revision).toBeUndefined();
    expect(body.control.problem?.message).toContain('use --ref master');
  });

  it('without --ref: follows the branch the repo’s HEAD names', async () => {
    const repo = await masterRepo();
    const { proc, cli } = await up(repo, ['--log-format', 'json']);
    await proc.waitForMessage(/^Wheelhouse is up: following .* at master;/);
    const result = await waitFor('docs to be listed', async () => {
      const r = await cli('apps');
      return r.code === 0 && /docs/.test(r.stdout) ? r : undefined;
    });
    expect(result.stderr).toBe('');
  });
});

describe('a wheelhouse.yaml that stops validating at the followed revision', () => {
  it('is shown first by `apps` and `status`, in --json, and once in chat, with file:line:col and the revision in force', async () => {
    const repo = await tmp('repo');
    const good = await createRepo(repo, FILES);
    const { cli, data, url } = await up(repo, ['--log-format', 'json']);
    await waitFor('docs to be synced', async () => {
      const r = await cli('apps', '--json');
      return /"syncStatus": ?"Synced"/.test(r.stdout) ? r : undefined;
    });

    await writeFile(join(repo, 'wheelhouse.yaml'), `${CONFIG}    sync: { auto: maybe }\n`);
    await git(repo, 'commit', '-qam', 'break wheelhouse.yaml');
    const bad = (await git(repo, 'rev-parse', 'HEAD')).trim();
    const problem = new RegExp(
      `^wheelhouse\\.yaml at ${shortSha(bad)} is invalid; the configuration of ${shortSha(good)} stays in force\\. Fix it and commit.*\\nwheelhouse\\.yaml:7:\\d+ apps\\[0\\]\\.sync\\.auto: `,
    );
    for (let i = 0; i < 3; i++) expect((await cli('refresh', 'docs')).code).toBe(0);

    for (const command of [['apps'], ['status'], ['status', 'docs']]) {
      const result = await cli(...command);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(problem);
      expect(result.stdout).toMatch(/docs/); // the apps of the configuration in force are still listed
    }
    // Chat says it first too, for every app and for one.
    for (const said of ['status', 'status docs']) {
      const reply = await cli('chat', said, '--room', 'checks'); // not ops: its notifications are counted below
      expect(reply.code).toBe(0);
      expect(reply.stdout).toContain(`wheelhouse.yaml at ${bad.slice(0, 7)} is invalid`);
      expect(reply.stdout).toMatch(/docs/);
    }
    const json = JSON.parse((await cli('apps', '--json')).stdout) as {
      control: {
        revision: string;
        problem: { revision: string; issues: { file: string; line: number; column: number; path: string }[] };
      };
    };
    expect(json.control.revision).toBe(good);
    const one = JSON.parse((await cli('status', 'docs', '--json')).stdout) as typeof json & { name: string };
    expect(one.name).toBe('docs');
    expect(one.control.problem.revision).toBe(bad);
    expect(json.control.problem.revision).toBe(bad);
    expect(json.control.problem.issues[0]).toMatchObject({
      file: 'wheelhouse.yaml',
      line: 7,
      path: 'apps[0].sync.auto',
    });

    // Chat: one notification for the refused revision, however many polls met it.
    const token = (await readFile(join(data, 'admin-token'), 'utf8')).trim();
    const messages = async () => {
      const res = await fetch(`${url}/api/v1/chat/rooms/ops/messages`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await res.json()) as { messages: { text: string }[] }).messages.filter((m) =>
        /wheelhouse\.yaml/.test(m.text),
      );
    };
    const [notice] = await waitFor('the config notification', async () =>
      (await messages()).length > 0 ? messages() : undefined,
    );
    expect(notice?.text).toContain(`wheelhouse.yaml at ${bad.slice(0, 7)}`);
    expect(notice?.text).toMatch(/wheelhouse\.yaml:7:\d+ apps\[0\]\.sync\.auto/);
    expect(await messages()).toHaveLength(1);

    // Fixed in Git: the problem is gone from every surface.
    await writeFile(join(repo, 'wheelhouse.yaml'), CONFIG);
    await git(repo, 'commit', '-qam', 'fix wheelhouse.yaml');
    await cli('refresh', 'docs');
    const fixed = await cli('apps');
    expect(fixed.stdout).not.toMatch(/is invalid/);
  });
});
