import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo, git } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const tmp = tempDirs();

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
    interval: 1h
    sync: { auto: true, retries: 0, timeout: 10m }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  bindings:
    - { subjects: [Alice], role: deployer }
`;

// Runs, but its health check never passes within the test: the sync stays "applying".
const manifest = (port: number) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  env: { GREETING: "hello" }
  health:
    tcp: { port: ${port} }
    startupSeconds: 600
`;

/**
 * Issue 12, item 5. Repro: `set env` SIGKILLed just after its commit reached Git was never audited
 * and its chat reply said "applying" forever.
 */
describe('a command cut off by a crash after its commit', () => {
  let repo: string;
  let data: string;
  let port: number;
  let up: WheelhouseProcess | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('control');
    data = await tmp('data');
    await createRepo(repo, { 'wheelhouse.yaml': CONFIG, 'apps/web/web.yaml': manifest(await freePort()) });
    await git(repo, 'config', 'receive.denyCurrentBranch', 'updateInstead');
  });

  const start = async () => {
    port = await freePort();
    up = runWheelhouse(
      ['up', '--repo', repo, '--data', data, '--port', String(port), '--log-format', 'json'],
      {
        cwd: repo,
      },
    );
    await up.waitForMessage(/Wheelhouse is up/);
    return up;
  };
  const audit = async (): Promise<AuditEntry[]> => {
    const store = await createSqliteStore({ file: join(data, 'wheelhouse.db') });
    try {
      return await store.listAudit({ limit: 1000 });
    } finally {
      await store.close();
    }
  };

  it('is audited as interrupted with its commit, and its reply is edited at the next start', async () => {
    const first = await start();
    const added = await runCli(['user', 'add', 'alice', '--data', data, '--json'], cliEnv());
    expect(added.code).toBe(0);
    const token = (JSON.parse(added.stdout) as { token: string }).token;
    const posted = await fetch(`http://127.0.0.1:${port}/api/v1/chat/rooms/ops/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'set env web web GREETING=crash' }),
    });
    expect(posted.status).toBeLessThan(300);
    const commit = await waitFor('the set env commit in the control repo', async () => {
      const log = await git(repo, 'log', '-1', '--format=%H%n%B', 'main');
      return log.includes('Wheelhouse-Request:') ? log.split('\n')[0] : undefined;
    });
    await first.kill9();

    const before = await audit();
    const intent = before.find((e) => e.action === 'command.set' && e.details?.phase === 'intent');
    expect(intent?.result).toMatch(/^pending: /);
    expect(before.some((e) => e.details?.intentSeq === intent?.seq)).toBe(false);

    const second = await start();
    const settled = await waitFor('the interrupted request to be settled', async () =>
      (await audit()).find((e) => e.details?.phase === 'interrupted'),
    );
    expect(settled).toMatchObject({
      actor: 'web:alice',
      action: 'command.set',
      details: { intentSeq: intent?.seq, commit },
    });
    expect(settled.result).toContain(`its commit ${commit?.slice(0, 7)} is in Git`);

    const reply = await waitFor('the chat reply to be edited', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/chat/rooms/ops/messages`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { messages: { text: string; user?: string }[] };
      return body.messages.find((m) => /interrupted: Wheelhouse stopped while running/.test(m.text));
    });
    expect(reply.text).toContain(commit?.slice(0, 7));
    await second.stop();
    // Settled once: a later start does not add a second completion.
    await (await start()).stop();
    expect((await audit()).filter((e) => e.details?.phase === 'interrupted')).toHaveLength(1);
    expect(await readFile(join(data, 'wheelhouse.pid'), 'utf8').catch(() => 'gone')).toBe('gone');
  });
});
