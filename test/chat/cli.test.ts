import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { createServer, principalOf, type RunningServer } from '../../src/server/index.js';
import { ensureBuilt } from '../support/build.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { cliEnv, runCli } from '../support/cli.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const CONFIG = `apps:
  - { name: web, path: apps/web, environment: dev }
  - { name: web-prod, path: apps/web-prod, environment: prod }
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  bindings:
    - { subjects: [Alice], role: deployer }
approvals:
  - { environments: [prod], commands: [scale], required: 1 }
`;

// An idle process is enough here: the CLI and the API are under test, not the process driver.
const motd = (text: string, replicas = 1) => `# keep me
apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "-e", "setInterval(() => {}, 1000)"]
  replicas: ${replicas}
  env: { TEXT: "${text}" }
`;

describe('wheelhouse user and wheelhouse chat against a running server', () => {
  const tmp = tempDirs();
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let server: RunningServer;
  let env: (token: string) => NodeJS.ProcessEnv;
  let aliceToken = '';

  beforeAll(async () => {
    await ensureBuilt();
    stack = await startChatOpsStack(tmp, {
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': motd('dev'),
      'apps/web-prod/web.yaml': motd('prod'),
    });
    server = await createServer(
      {
        engine: stack.engine,
        store: stack.store,
        log: silentLogger,
        dataDir: stack.dataDir,
        guard: stack.chatops.guard,
        plugins: { api: [(app) => stack.chatops.routes((request) => principalOf(request).user)(app)] },
      },
      { port: 0 },
    );
    env = (token) => cliEnv({ WHEELHOUSE_URL: server.url, WHEELHOUSE_TOKEN: token });
  });

  afterAll(async () => {
    await server?.close();
    await stack?.close();
  });

  it('adds a user whose token works, shown once and stored hashed', async () => {
    const added = await runCli(['user', 'add', 'alice', '--data', stack.dataDir, '--json'], cliEnv());
    expect(added.code).toBe(0);
    aliceToken = JSON.parse(added.stdout).token;
    expect(aliceToken).toMatch(/^wh_/);
    const db = await readFile(join(stack.dataDir, 'wheelhouse.db'));
    expect(db.includes(Buffer.from(aliceToken))).toBe(false);
    const listed = await runCli(['user', 'list', '--data', stack.dataDir], cliEnv());
    expect(listed.stdout).toContain('alice');
    expect(listed.stdout).not.toContain(aliceToken);
    const admin = await runCli(['user', 'add', 'admin', '--data', stack.dataDir], cliEnv());
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain('admin token’s user');
  });

  it('posts as the token’s user and prints the replies until the command settles', async () => {
    const scaled = await runCli(['chat', 'scale web web 2'], env(aliceToken));
    expect(scaled.stderr).toBe('');
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toContain('web: scale web to 2 replicas');
    expect(scaled.stdout).toContain('asked by Alice (web:alice)');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>', 'main')).toBe(
      'Alice <alice@example.com>',
    );

    const typo = await runCli(['chat', 'sycn', 'web'], env(aliceToken));
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain('did you mean `sync`');

    const gated = await runCli(['chat', 'scale web-prod web 3', '--room', 'prod'], env(aliceToken));
    expect(gated.code).toBe(3);
    expect(gated.stdout).toContain('needs 1 approval');
    expect((await stack.store.listChatMessages('prod')).length).toBeGreaterThan(1);

    const token = (await readFile(join(stack.dataDir, 'admin-token'), 'utf8')).trim();
    const whoami = await runCli(['chat', 'whoami', '--json'], env(token));
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout).replies[0].text).toContain('Admin: yes');
  });

  it('puts the API’s own sync through the access policy', async () => {
    const carol = JSON.parse(
      (await runCli(['user', 'add', 'carol', '--data', stack.dataDir, '--json'], cliEnv())).stdout,
    ).token;
    const refused = await fetch(`${server.url}/api/v1/apps/web/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${carol}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain('api:carol lacks the sync permission');
    const cli = await runCli(['sync', 'web'], env(carol));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('lacks the sync permission');
  });

  it('removes a user: their token stops working at once', async () => {
    expect((await runCli(['user', 'remove', 'alice', '--data', stack.dataDir], cliEnv())).code).toBe(0);
    const refused = await runCli(['chat', 'status'], env(aliceToken));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('token refused');
    expect((await runCli(['user', 'remove', 'alice', '--data', stack.dataDir], cliEnv())).code).toBe(1);
  });
});
