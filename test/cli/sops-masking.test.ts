import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { commitFiles, createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 19, masking everywhere: `wheelhouse up` runs an app whose manifest is SOPS-encrypted; the
 * clear values reach the workload, and appear on no surface: the API (apps, status, diff, history,
 * events through the CLI's --json), chat replies through the real chat core (`wheelhouse chat`),
 * the server's log, and the data dir (database, mirrors, everything in it).
 */
const missing = sopsMissing();
const SECRETS = ['masking-clear-first-1', 'masking-clear-second-2', 'masking-clear-pending-3'];

const manifest = (secret: string) => `apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  env:
    APP_TOKEN: ${secret}
`;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.skipIf(missing !== undefined)('SOPS clear values on every surface', () => {
  const tmp = tempDirs();
  let data: string;
  let repo: string;
  let up: ChildProcess | undefined;
  let upLog = '';
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli([...args, '--data', data], env);
  let encrypt: (secret: string) => Promise<string>;

  beforeAll(async () => {
    await ensureBuilt();
    const keys = await tmp('keys');
    const key = await ageKey(keys, 'wheelhouse');
    const work = await tmp('work');
    encrypt = (secret) =>
      sopsEncrypt(work, 'web.yaml', manifest(secret), key.recipient, ['--encrypted-regex', '^env$']);
    repo = await tmp('control');
    data = await tmp('data');
    await createRepo(repo, {
      'wheelhouse.yaml':
        'apps:\n  - name: web\n    path: apps/web\n    interval: 1h\n    sync: { auto: false, retries: 0, timeout: 1m }\n',
      'apps/web/web.yaml': await encrypt(SECRETS[0] ?? ''),
    });
    const port = await freePort();
    env = cliEnv({ WHEELHOUSE_URL: `http://127.0.0.1:${port}` });
    up = spawn(
      process.execPath,
      [BIN, 'up', '--repo', repo, '--data', data, '--port', String(port), '--sops-age-key-file', key.file],
      { env: cliEnv({ WHEELHOUSE_SOPS: sopsBinary }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (chunk: Buffer) => {
      upLog += chunk.toString();
    };
    up.stdout?.on('data', collect);
    up.stderr?.on('data', collect);
    await waitFor(
      'wheelhouse up to answer /readyz',
      async () => {
        if (up?.exitCode !== null) throw new Error(`wheelhouse up exited:\n${upLog}`);
        return (await fetch(`${env.WHEELHOUSE_URL}/readyz`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 120_000 },
    );
  }, 180_000);

  afterAll(async () => {
    if (up && up.exitCode === null) {
      const exited = new Promise((resolve) => up?.once('exit', resolve));
      up.kill('SIGTERM');
      await exited;
    }
    if (data) await runCli(['down', '--data', data], cliEnv());
  });

  it('runs the decrypted value and shows it nowhere', async () => {
    const first = await cli('sync', 'web', '--wait');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    await commitFiles(repo, { 'apps/web/web.yaml': await encrypt(SECRETS[1] ?? '') }, 'rotate the token');
    const second = await cli('sync', 'web', '--wait');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    // A pending change: diff and status show it, masked.
    await commitFiles(repo, { 'apps/web/web.yaml': await encrypt(SECRETS[2] ?? '') }, 'next token');
    expect((await cli('refresh', 'web')).code).toBe(0);

    const outputs: string[] = [];
    for (const args of [
      ['apps', '--json'],
      ['status', 'web', '--json'],
      ['status', 'web'],
      ['diff', 'web', '--json'],
      ['diff', 'web'],
      ['history', 'web', '--json'],
      ['history', 'web'],
      ['chat', 'status web'],
      ['chat', 'diff web'],
      ['chat', 'history web'],
    ]) {
      const result = await cli(...args);
      outputs.push(`$ wheelhouse ${args.join(' ')}\n${result.stdout}${result.stderr}`);
    }
    const all = outputs.join('\n');
    // The surfaces did answer about the change (so the absence of the value means something).
    expect(all).toMatch(/APP_TOKEN/);
    expect(all).toMatch(/rotate the token|next token/);

    const dataFiles = await filesUnder(data);
    expect(dataFiles.length).toBeGreaterThan(0);
    const holding: string[] = [];
    for (const secret of SECRETS) {
      expect(all, 'CLI, API and chat').not.toContain(secret);
      expect(upLog, 'server log').not.toContain(secret);
      for (const file of dataFiles) {
        const content = await readFile(file).catch(() => Buffer.alloc(0));
        if (content.includes(secret)) holding.push(`${file.slice(data.length + 1)}: ${secret}`);
      }
    }
    // The process driver's records of what it runs hold sealed marks, not the values.
    expect(holding).toEqual([]);
    const records = dataFiles.filter((f) => f.includes('/resources/') && f.endsWith('.json'));
    const marks = await Promise.all(records.map((f) => readFile(f, 'utf8')));
    expect(marks.join('\n')).toMatch(/"APP_TOKEN": "\{\{wheelhouse-sealed:[0-9a-f]{32}\}\}"/);
  }, 300_000);
});
