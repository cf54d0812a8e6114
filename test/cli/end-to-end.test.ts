import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { commitFiles, createRepo } from '../support/git.js';
import { githubPushBody, postGithubPush } from '../support/github-push.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The whole thing as a person uses it: `wheelhouse up` as a child process on a temp control repo,
 * the CLI as child processes against it, and a signed GitHub push webhook that gets a new
 * revision applied.
 */

const GH_SECRET = `gh-${randomUUID()}`;

const server = (version: string) => `
const http = require('node:http');
const port = Number(process.env.PORT);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(req.url === '/healthz' ? 'ok\\n' : process.env.VERSION + '\\n');
}).listen(port, '127.0.0.1', () => console.log('web ${version} listening on ' + port));
process.on('SIGTERM', () => process.exit(0));
`;

function webManifest(port: number, version: string): string {
  return `apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "services/web/server.js"]
  env:
    PORT: "${port}"
    VERSION: "${version}"
  health:
    http:
      url: "http://127.0.0.1:${port}/healthz"
    periodSeconds: 1
`;
}

function brokenManifest(port: number): string {
  // Runs, but its health check never passes: the sync fails once startupSeconds are up.
  return `apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: stuck
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  health:
    tcp:
      port: ${port}
    startupSeconds: 2
`;
}

const controlConfig = `apps:
  - name: web
    path: apps/web
    environment: dev
    interval: 1h
    sync: { auto: true, retries: 0, timeout: 2m }
  - name: broken
    path: apps/broken
    environment: dev
    interval: 1h
    sync: { auto: false, retries: 0, timeout: 1m }
webhooks:
  github: { secretEnv: E2E_GH_SECRET }
`;

describe('end to end: wheelhouse up + CLI + webhook', () => {
  const tmp = tempDirs();
  let repo: string;
  let data: string;
  let url: string;
  let webPort: number;
  let up: ChildProcess | undefined;
  let upLog = '';
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--data', data], env);

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('control');
    data = await tmp('data');
    webPort = await freePort();
    const brokenPort = await freePort();
    await createRepo(repo, {
      'wheelhouse.yaml': controlConfig,
      'apps/web/web.yaml': webManifest(webPort, 'v1'),
      'apps/broken/stuck.yaml': brokenManifest(brokenPort),
      'services/web/server.js': server('v1'),
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = cliEnv({ WHEELHOUSE_URL: url });
    up = spawn(
      process.execPath,
      [BIN, 'up', '--repo', repo, '--data', data, '--port', String(port), '--log-format', 'json'],
      { env: { ...cliEnv(), E2E_GH_SECRET: GH_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    up.stdout?.on('data', (chunk: Buffer) => {
      upLog += chunk.toString();
    });
    up.stderr?.on('data', (chunk: Buffer) => {
      upLog += chunk.toString();
    });
    await waitFor(
      'wheelhouse up to answer /readyz',
      async () => {
        if (up?.exitCode !== null) throw new Error(`wheelhouse up exited:\n${upLog}`);
        const response = await fetch(`${url}/readyz`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs: 120_000 },
    );
  });

  afterAll(async () => {
    if (up && up.exitCode === null) {
      const exited = new Promise((resolve) => up?.once('exit', resolve));
      up.kill('SIGTERM');
      await exited;
    }
    // `up` leaves workloads running by design; stop them.
    if (data) await runCli(['down', '--data', data], cliEnv());
  });

  const status = async (app: string) => {
    const result = await cli('status', app, '--json');
    if (result.code !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout) as {
      syncStatus: string;
      health: { status: string };
      revision?: string;
      lastSync?: { result: string };
    };
  };

  it('writes the admin token with mode 0600 and logs where it is, never the token', async () => {
    const token = (await readFile(join(data, 'admin-token'), 'utf8')).trim();
    expect(token.length).toBeGreaterThan(20);
    expect((await stat(join(data, 'admin-token'))).mode & 0o777).toBe(0o600);
    await waitFor('up to log where the admin token is', () => upLog.includes(join(data, 'admin-token')));
    expect(upLog).not.toContain(token);
  });

  it('converges the web app and lists it: apps, status, --json', async () => {
    await waitFor(
      'web to be synced and healthy',
      async () => {
        const s = await status('web');
        return s.syncStatus === 'Synced' && s.health.status === 'Healthy';
      },
      { timeoutMs: 120_000 },
    );
    const apps = await cli('apps');
    expect(apps.code).toBe(0);
    expect(apps.stdout).toMatch(/^web\s+dev\s+local\s+Synced\s+✓ Healthy/m);
    expect(apps.stdout).toMatch(/^broken\s+dev\s+local/m);
    const json = JSON.parse((await cli('apps', '--json')).stdout) as { apps: { name: string }[] };
    expect(json.apps.map((a) => a.name).sort()).toEqual(['broken', 'web']);
    const detail = await cli('status', 'web');
    expect(detail.stdout).toMatch(/Process\s+web\s+Synced\s+✓ Healthy/);
    expect(await (await fetch(`http://127.0.0.1:${webPort}/`)).text()).toBe('v1\n');
  });

  it('syncs with --wait: exit 0 on success, non-zero when the sync fails', async () => {
    const ok = await cli('sync', 'web', '--wait');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/✓ sync of web succeeded/);

    const failed = await cli('sync', 'broken', '--wait');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/✗ sync of broken failed/);
    expect((await status('broken')).lastSync?.result).toBe('failed');
  });

  it('shows diff, history, logs and the audit log, and verifies it', async () => {
    const diff = await cli('diff', 'web');
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/No changes: web runs what Git declares/);
    expect(JSON.parse((await cli('diff', 'web', '--json')).stdout)).toMatchObject({ app: 'web' });

    const history = await cli('history', 'web');
    expect(history.stdout).toMatch(/succeeded\s+api:admin\s+manual/);
    const historyJson = JSON.parse((await cli('history', 'web', '--json')).stdout) as { syncs: unknown[] };
    expect(historyJson.syncs.length).toBeGreaterThanOrEqual(2);

    const logs = await cli('logs', 'web', '--tail', '20');
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/web v1 listening on/);

    const audit = await cli('audit');
    expect(audit.stdout).toMatch(/api:admin\s+api\.sync\s+web\s+allowed/);
    expect(audit.stdout).toMatch(/api:admin\s+api\.sync\s+broken\s+allowed/);
    const verify = await cli('audit', '--verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit log intact/);
    expect(JSON.parse((await cli('audit', '--verify', '--json')).stdout)).toMatchObject({ ok: true });
  });

  it('applies a new revision after a signed GitHub push webhook', async () => {
    const sha = await commitFiles(
      repo,
      { 'apps/web/web.yaml': webManifest(webPort, 'v2'), 'services/web/server.js': server('v2') },
      'web v2',
    );
    const response = await postGithubPush(url, GH_SECRET, githubPushBody(repo, sha));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      status: 'accepted',
      apps: expect.arrayContaining(['web']),
    });

    await waitFor(
      'web to run the pushed revision',
      async () => {
        const s = await status('web');
        return s.revision === sha && s.health.status === 'Healthy';
      },
      { timeoutMs: 120_000 },
    );
    expect(await (await fetch(`http://127.0.0.1:${webPort}/`)).text()).toBe('v2\n');
    const audit = await cli('audit', '--actor', 'webhook:github', '--json');
    const entries = (
      JSON.parse(audit.stdout) as { entries: { action: string; details?: { apps?: string[] } }[] }
    ).entries;
    // both apps follow the control repo, so the push refreshed both
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'webhook.push',
        details: expect.objectContaining({ apps: ['broken', 'web'] }),
      }),
    );
  });
});
