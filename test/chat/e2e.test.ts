import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { git } from '../support/git.js';
import { bothAppsRunning } from '../support/platform-control-repo.js';
import { freePortPrefix } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const SERVER = `import { createServer } from 'node:http';
const port = Number(process.env.PORT);
const server = createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  res.writeHead(200).end(process.env.GREETING ?? '');
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

function manifest(prefix: string, greeting: string): string {
  return `# The web service of this environment. Keep this comment.
apiVersion: wheelhouse/v1
kind: Process
metadata:
  name: web
spec:
  command: ["node", "server.mjs"]   # never through a shell
  cwd: services/web
  env:
    PORT: "${prefix}\${WHEELHOUSE_REPLICA}"
    GREETING: "${greeting}"
  replicas: 1   # how many
  health:
    http: { url: "http://127.0.0.1:${prefix}\${WHEELHOUSE_REPLICA}/healthz" }
    periodSeconds: 1
  stopTimeoutSeconds: 5
`;
}

const CONFIG = `# Control repo of the ChatOps end-to-end test.
apps:
  - name: web
    path: apps/web
    environment: dev
  - name: web-prod
    path: apps/web-prod
    environment: prod
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice", "slack:U123"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  bindings:
    - { subjects: ["web:alice"], role: deployer }
    - { subjects: ["web:bob"], role: deployer }
    - { subjects: ["Bob"], role: approver, environments: [prod] }
  defaultRole: viewer
approvals:
  - { environments: [prod], commands: [sync, rollback, promote, scale], required: 1, expiresAfter: 1h }
  - { environments: [prod], commands: [set], required: 1, expiresAfter: 1m }
notifications:
  routes:
    - { platform: web, channel: alerts, events: [sync.succeeded, sync.failed, approval.requested] }
`;

async function get(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

describe('ChatOps end to end: built-in chat, real git, real processes', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let dev: string;
  let prod: string;

  beforeAll(async () => {
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': manifest(dev, 'v1'),
      'apps/web-prod/web.yaml': manifest(prod, 'prod-v1'),
      'services/web/server.mjs': SERVER,
    });
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('status <app>: each replica of a Process is a row under it with pid, uptime, restarts and probe', async () => {
    const { text } = await stack.say('alice', 'status web');
    expect(text).toMatch(/^web +Process +Synced +Healthy/m);
    expect(text).toMatch(
      new RegExp(
        `^└ replica-0 +Replica +Healthy +pid \\d+ · up \\w+ · 0 restarts · probe: ok: GET http://127\\.0\\.0\\.1:${dev}0/healthz → 200$`,
        'm',
      ),
    );
  });

  it('scale: a commit authored by the person, applied, the thread ends healthy', async () => {
    const { request, replies, text, status } = await stack.say('alice', 'scale web web 2');
    expect(status).toBe('done');
    expect(replies).toHaveLength(1);
    expect(text).toContain('web: scale web to 2 replicas');
    expect(text).toContain('Healthy');
    expect(text).toContain('asked by Alice (web:alice)');
    expect(text).toContain('Change set: configured web');
    expect(await get(`http://127.0.0.1:${dev}1/`)).toBe('v1');

    const log = await git(stack.control, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'main');
    expect(log).toBe('Alice <alice@example.com>|Wheelhouse|web: scale web to 2 replicas');
    const trailers = await git(stack.control, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    expect(trailers.split('\n')).toEqual([
      'Wheelhouse-Actor: web:alice',
      `Wheelhouse-Request: ${request.id}`,
    ]);
    const yaml = await git(stack.control, 'show', 'main:apps/web/web.yaml');
    expect(yaml).toBe(
      manifest(dev, 'v1').replace('replicas: 1   # how many', 'replicas: 2   # how many').trimEnd(),
    );
    const head = await git(stack.control, 'rev-parse', 'main');
    expect(stack.engine.status('web').revision).toBe(head);
  });

  it('rollback: a revert-style commit, and the old version runs again', async () => {
    const before = await git(stack.control, 'rev-parse', 'main');
    await stack.pushFromOutside(
      { 'apps/web/web.yaml': manifest(dev, 'v2').replace('replicas: 1', 'replicas: 2') },
      'Say v2',
    );
    await waitFor('v2 to run', async () => (await get(`http://127.0.0.1:${dev}0/`)) === 'v2', {
      timeoutMs: 60_000,
    });

    const { text, status } = await stack.say('alice', 'rollback web');
    expect(status).toBe('done');
    expect(text).toContain(`Roll back web to ${before.slice(0, 7)}`);
    expect(text).toContain('What changed in Git since the last sync:');
    expect(text).toContain(`Roll back web to ${before.slice(0, 7)} — Alice`);
    expect(await get(`http://127.0.0.1:${dev}0/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an|%s', 'main')).toBe(
      `Alice|Roll back web to ${before.slice(0, 7)}`,
    );
    expect(await git(stack.control, 'rev-parse', 'main:apps/web')).toBe(
      await git(stack.control, 'rev-parse', `${before}:apps/web`),
    );
  });

  it('approvals: self-approval refused, another person approves, it runs as the requester', async () => {
    const asked = await stack.say('alice', 'scale web-prod web 2');
    expect(asked.status).toBe('awaiting-approval');
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');
    expect(asked.text).toContain(`Request ${approval.id}`);

    const self = await stack.say('alice', `approve ${approval.id}`, asked.request.id);
    expect(self.status).toBe('refused');
    expect(self.text).toContain('cannot approve it');

    const bob = await stack.say('bob', `approve ${approval.id}`);
    expect(bob.status).toBe('done');
    expect(bob.text).toContain('ran as Alice (web:alice)');
    expect(await get(`http://127.0.0.1:${prod}1/`)).toBe('prod-v1');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Wheelhouse-Approved-By,valueonly,separator=)',
        'main',
      ),
    ).toBe('Alice|web:bob');
    const thread = await stack.thread('ops', asked.request.id);
    const run = thread.filter((m) => m.bot).at(-1);
    expect(run?.text).toContain('web-prod: scale web to 2 replicas');
    expect(run?.text).toContain('Healthy');
    expect(run?.text).toContain('Approved by: Bob (web:bob)');
  });

  it('approvals expire and then count as denied', async () => {
    const asked = await stack.say('alice', 'set env web-prod web GREETING=hello');
    expect(asked.status).toBe('awaiting-approval');
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');
    stack.clock.offsetMs = Date.parse(approval.expiresAt) - Date.now() + 1000;
    const late = await stack.say('bob', `approve ${approval.id}`);
    expect(late.text).toContain('expired');
    expect((await stack.store.getApproval(approval.id))?.status).toBe('expired');
    expect(await get(`http://127.0.0.1:${prod}0/`)).toBe('prod-v1');
    stack.clock.offsetMs = 0;
  });

  it('a lock blocks another user; refusals name the missing permission', async () => {
    expect((await stack.say('bob', 'lock web release freeze')).status).toBe('done');
    const blocked = await stack.say('alice', 'scale web web 3');
    expect(blocked.status).toBe('refused');
    expect(blocked.text).toContain('app web is locked by Bob (web:bob)');
    expect(blocked.text).toContain('release freeze');
    expect((await stack.say('alice', 'status web')).text).toContain('locked by Bob (web:bob)');
    expect((await stack.say('bob', 'unlock web')).status).toBe('done');

    const carol = await stack.say('carol', 'sync web');
    expect(carol.status).toBe('refused');
    expect(carol.text).toContain('web:carol lacks the sync permission on app web (environment dev)');
    expect(carol.text).toContain('held by Alice, Bob, admin');
  });

  it('notifications are routed to their room, with revision and who triggered them', async () => {
    const alerts = await stack.store.listChatMessages('alerts', { limit: 100 });
    const synced = alerts.filter((m) => m.text.includes('web (dev) synced to'));
    expect(synced.length).toBeGreaterThan(0);
    expect(synced.some((m) => m.text.includes('Triggered by: Alice (web:alice)'))).toBe(true);
    expect(alerts.some((m) => m.text.includes('approval needed: `scale web-prod web 2`'))).toBe(true);
    // Nothing routes drift or prod-only alerts here; each sync is announced once.
    const ids = synced.map((m) => m.text.split('\n')[0]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('audit --verify passes, then fails after a row is altered', async () => {
    const ok = await stack.say('alice', 'audit --verify');
    expect(ok.text).toContain('audit log intact');
    const db = new Database(join(stack.dataDir, 'wheelhouse.db'));
    try {
      db.prepare('UPDATE audit SET actor = ? WHERE seq = ?').run('web:mallory', 3);
    } finally {
      db.close();
    }
    const broken = await stack.say('alice', 'audit --verify');
    expect(broken.status).toBe('failed');
    expect(broken.text).toContain('entry 3');
  });
});
