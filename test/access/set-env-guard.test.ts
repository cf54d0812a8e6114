import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActions } from '../../src/access/actions.js';
import { isPrivilegedEnvName } from '../../src/access/privileged-env.js';
import { actionRoutes } from '../../src/access/routes.js';
import { actionText, COMMANDS } from '../../src/chat/commands/index.js';
import type { Store } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { formatCommitMessage, wheelhouseTrailers } from '../../src/writeback/index.js';
import { type RecordedRun, recordingOperation } from '../support/chat-harness.js';
import { startChatOpsStack } from '../support/chatops-stack.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const CONFIG = `apps:
  - name: web
    path: apps/web
    environment: dev
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
access:
  bindings:
    - { subjects: ["web:alice"], role: deployer }
  defaultRole: viewer
`;

const MANIFEST = `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "-e", "setInterval(() => {}, 60000)"]
  env:
    GREETING: hello
  stopTimeoutSeconds: 2
`;

describe('set env: loader variables need admin (issue 12 item 1), values stay one line (item 15)', () => {
  const tmp = tempDirs();

  describe('through the actions service, with real git and the process driver', () => {
    let stack: Awaited<ReturnType<typeof startChatOpsStack>>;

    beforeAll(async () => {
      stack = await startChatOpsStack(tmp, { 'wheelhouse.yaml': CONFIG, 'apps/web/web.yaml': MANIFEST });
    });
    afterAll(async () => {
      await stack?.close();
    });

    const setEnv = (actor: string, env: Record<string, string>) =>
      stack.chatops.actions.perform({
        actor,
        command: 'set',
        args: { app: 'web', process: 'web', env },
        text: `set env web web ${Object.keys(env).join(' ')}`,
        platform: 'api',
      });
    const head = () => git(stack.control, 'rev-parse', 'main');

    // Repro: `set env web web NODE_OPTIONS=--import=data:...` by a deployer committed, and the
    // replica restarted with code that copied <data>/admin-token.
    it('refuses NODE_OPTIONS, LD_PRELOAD and DYLD_* from a deployer, naming the variable and admin', async () => {
      const before = await head();
      for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'PATH', 'PYTHONPATH']) {
        const result = await setEnv('api:alice', { [name]: '--import=data:text/javascript,1' });
        expect(result.status, name).toBe('refused');
        if (result.status !== 'refused') continue;
        expect(result.code).toBe('FORBIDDEN');
        expect(result.reason).toContain(`${name} is a loader or interpreter variable`);
        expect(result.reason).toContain('lacks the admin permission');
      }
      expect(await head()).toBe(before);
    });

    it('lets a deployer set an ordinary variable, and an admin set NODE_OPTIONS', async () => {
      const plain = await setEnv('api:alice', { GREETING: 'hi' });
      expect(plain.status).toBe('done');
      const admin = await setEnv('api:admin', { NODE_OPTIONS: '--max-old-space-size=64' });
      expect(admin.status).toBe('done');
      const yaml = await git(stack.control, 'show', 'main:apps/web/web.yaml');
      expect(yaml).toContain('NODE_OPTIONS: "--max-old-space-size=64"');
    });

    // Repro: an API value "x\n\nWheelhouse-Approved-By: slack:boss" put a forged approval line
    // into the commit body.
    it('refuses a value with a line break or another control character; nothing is committed', async () => {
      const before = await head();
      for (const value of [
        'x\n\nWheelhouse-Approved-By: slack:boss',
        'a\rb',
        'esc\u001b]0;t\u0007',
        'x\u2028y',
      ]) {
        const result = await setEnv('api:alice', { GREETING: value });
        expect(result.status).toBe('failed');
        if (result.status !== 'failed') continue;
        expect(result.outcome.error?.code).toBe('BAD_REQUEST');
        expect(result.outcome.error?.message).toContain(
          'env.GREETING: the value contains a control character',
        );
      }
      expect(await head()).toBe(before);
      const body = await git(stack.control, 'log', '--format=%B', 'main');
      expect(body).not.toContain('slack:boss');
    });
  });

  describe('over POST /api/v1/actions', () => {
    let app: FastifyInstance;
    let store: Store;
    const runs: RecordedRun[] = [];

    beforeAll(async () => {
      const engine = createConfigEngine(controlConfig());
      store = await createSqliteStore({ file: join(await tmp('routes'), 'wheelhouse.db') });
      const actions = createActions({
        config: () => engine.config(),
        store,
        operations: new Map([['set', recordingOperation('set', runs)]]),
        events: engine.events,
        log: silentLogger,
      });
      app = Fastify();
      await app.register(
        actionRoutes({
          actions,
          config: () => engine.config(),
          actorOf: (req) => `web:${String(req.headers['x-user'])}`,
          describe: (call) => actionText(call, COMMANDS),
        }),
      );
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    const post = (user: string, env: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/actions',
        headers: { 'x-user': user },
        payload: { command: 'set', args: { app: 'web', process: 'web', env } },
      });

    it('answers 403 to a deployer setting LD_PRELOAD and runs it for the admin', async () => {
      const refused = await post('alice', { LD_PRELOAD: '/tmp/x.so', GREETING: 'hi' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toContain('LD_PRELOAD is a loader or interpreter variable');
      expect(runs).toHaveLength(0);
      const allowed = await post('admin', { LD_PRELOAD: '/tmp/x.so' });
      expect(allowed.statusCode).toBe(200);
      expect(runs.at(-1)).toMatchObject({ actor: 'web:admin', args: { env: { LD_PRELOAD: '/tmp/x.so' } } });
    });
  });

  it('knows the families: LD_* and DYLD_* whatever the case, not look-alikes', () => {
    expect(isPrivilegedEnvName('LD_BIND_NOW')).toBe(true);
    expect(isPrivilegedEnvName('dyld_library_path')).toBe(true);
    expect(isPrivilegedEnvName('BASH_ENV')).toBe(true);
    expect(isPrivilegedEnvName('JAVA_TOOL_OPTIONS')).toBe(true);
    expect(isPrivilegedEnvName('OLD_PATH')).toBe(false);
    expect(isPrivilegedEnvName('GREETING')).toBe(false);
  });

  // Repro (item 15): lines in the body or a trailer value must never become trailers git reads.
  it('writes only our trailers, whatever the subject, body and trailer values carry', async () => {
    const message = formatCommitMessage({
      subject: 'web: set A\nWheelhouse-Approved-By: slack:boss',
      body: 'A=1\r\n\r\nWheelhouse-Approved-By: slack:boss\nwheelhouse-actor : slack:boss',
      trailers: wheelhouseTrailers({ actor: 'web:alice', request: 'r1\nWheelhouse-Approved-By: slack:boss' }),
    });
    const lines = message.split('\n');
    expect(lines.filter((l) => /^wheelhouse-/i.test(l))).toEqual([
      'Wheelhouse-Actor: web:alice',
      'Wheelhouse-Request: r1 Wheelhouse-Approved-By: slack:boss',
    ]);
    expect(lines).toContain('> Wheelhouse-Approved-By: slack:boss');
    expect(() =>
      formatCommitMessage({ subject: 's', trailers: [['Wheelhouse-Actor\nWheelhouse-Approved-By', 'x']] }),
    ).toThrow(/trailer key/);
    // What git itself parses as trailers, from a real commit.
    const repo = await tmp('trailers');
    await git(repo, 'init', '--quiet');
    await git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
    const parsed = await git(repo, 'log', '-1', '--format=%(trailers:only,unfold)');
    expect(parsed.split('\n')).toEqual([
      'Wheelhouse-Actor: web:alice',
      'Wheelhouse-Request: r1 Wheelhouse-Approved-By: slack:boss',
    ]);
  });
});
