import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActions } from '../../src/access/actions.js';
import { createMutationGuard } from '../../src/access/mutation-guard.js';
import { actionRoutes } from '../../src/access/routes.js';
import { actionText, COMMANDS } from '../../src/chat/commands/index.js';
import type { Store } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { type RecordedRun, recordingOperation } from '../support/chat-harness.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

describe('actions over HTTP and the API guard', () => {
  const tmp = tempDirs();
  let app: FastifyInstance;
  let store: Store;
  const runs: RecordedRun[] = [];
  const engine = createConfigEngine(controlConfig());
  let guard: ReturnType<typeof createMutationGuard>;
  const describe = (call: Parameters<typeof actionText>[0]) => actionText(call, COMMANDS);

  beforeAll(async () => {
    store = await createSqliteStore({ file: join(await tmp('routes'), 'wheelhouse.db') });
    const actions = createActions({
      config: () => engine.config(),
      store,
      operations: new Map([
        ['scale', recordingOperation('scale', runs)],
        ['sync', recordingOperation('sync', runs)],
      ]),
      events: engine.events,
      log: silentLogger,
    });
    guard = createMutationGuard(actions, describe);
    app = Fastify();
    await app.register(
      actionRoutes({
        actions,
        config: () => engine.config(),
        actorOf: (req) => `web:${String(req.headers['x-user'])}`,
        describe,
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const post = (user: string, url: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'x-user': user },
      payload: payload as Record<string, unknown>,
    });

  it('runs an action as the caller, refusing with the reason and a fitting status', async () => {
    const ok = await post('alice', '/api/v1/actions', {
      command: 'scale',
      args: { app: 'web', process: 'web', replicas: 2 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'done', outcome: { ok: true } });
    expect(runs.at(-1)).toMatchObject({ command: 'scale', actor: 'web:alice' });
    const refused = await post('carol', '/api/v1/actions', {
      command: 'scale',
      args: { app: 'web', process: 'web', replicas: 2 },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('lacks the write permission');
    const unknown = await post('alice', '/api/v1/actions', { command: 'scale', args: { app: 'wbe' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('did you mean "web"');
  });

  it('serves the approvals inbox and decisions', async () => {
    const asked = await post('alice', '/api/v1/actions', {
      command: 'scale',
      args: { app: 'web-prod', process: 'web', replicas: 3 },
    });
    expect(asked.statusCode).toBe(202);
    const id = asked.json().approval.id as string;
    const forBob = await app.inject({ url: '/api/v1/approvals', headers: { 'x-user': 'bob' } });
    expect(forBob.json().approvals).toEqual([
      expect.objectContaining({ id, mayDecide: true, mine: false, approvals: 0 }),
    ]);
    // Issue 14, item 9: an action started from the dashboard read `scale {"app":"web-prod",...}` in
    // chat and in the approvals inbox; it reads the way a person types it.
    expect(forBob.json().approvals[0].text).toBe('scale web-prod web 3');
    const audit = await store.listAudit({ limit: 5 });
    expect(audit.find((e) => e.app === 'web-prod')?.text).toBe('scale web-prod web 3');
    const forAlice = await app.inject({ url: '/api/v1/approvals', headers: { 'x-user': 'alice' } });
    expect(forAlice.json().approvals[0]).toMatchObject({ mayDecide: false, mine: true });
    expect((await post('alice', `/api/v1/approvals/${id}/approve`, {})).statusCode).toBe(403);
    const approved = await post('bob', `/api/v1/approvals/${id}/approve`, {});
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', run: { status: 'done' } });
    expect(runs.at(-1)).toMatchObject({ actor: 'web:alice', approvers: ['web:bob'] });
  });

  it('guards the API’s own sync: refusals throw, approval rules store a request, dry runs only read', async () => {
    const audited = (await store.listAudit({ limit: 100 })).length;
    await expect(
      guard({ actor: 'api:carol', user: 'carol', action: 'sync', app: 'web', args: {} }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      guard({ actor: 'api:carol', user: 'carol', action: 'sync', app: 'web', args: { dryRun: true } }),
    ).resolves.toBeUndefined();
    await expect(
      guard({ actor: 'api:alice', user: 'alice', action: 'sync', app: 'web', args: {} }),
    ).resolves.toBeUndefined();
    const gated = guard({
      actor: 'web:alice',
      user: 'alice',
      action: 'sync',
      app: 'web-prod',
      args: { revision: 'abc' },
    });
    await expect(gated).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const pending = await store.listApprovals({ status: 'pending', app: 'web-prod' });
    expect(pending.at(-1)).toMatchObject({
      command: 'sync',
      requester: 'web:alice',
      args: { app: 'web-prod', revision: 'abc' },
    });
    await store.acquireLock({
      app: 'web',
      holder: 'web:bob',
      reason: 'freeze',
      createdAt: new Date().toISOString(),
    });
    await expect(
      guard({ actor: 'web:alice', user: 'alice', action: 'sync', app: 'web', args: {} }),
    ).rejects.toMatchObject({
      code: 'LOCKED',
    });
    // The guard leaves auditing to the API.
    expect(await store.listAudit({ limit: 100 })).toHaveLength(audited);
  });
});
