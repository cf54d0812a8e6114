import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../src/access/operation.js';
import { createOperations } from '../../src/access/operations/index.js';
import type { ChatMessage, StoredChatMessage } from '../../src/core/index.js';
import { createRedactor } from '../../src/util/index.js';
import {
  type ChatHarness,
  createChatHarness,
  recordingOperation,
  statusOf,
} from '../support/chat-harness.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

describe('chat pipeline through the built-in chat', () => {
  const tmp = tempDirs();
  let harness: ChatHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function start(config = controlConfig(), redact?: (t: string) => string): Promise<ChatHarness> {
    const engine = createConfigEngine(config);
    const dir = await tmp('chat');
    harness = await createChatHarness({
      dir,
      engine,
      ...(redact ? { redact } : {}),
      operations: (runs) => {
        const ops = new Map<string, Operation>();
        for (const name of ['sync', 'scale', 'set', 'rollback'])
          ops.set(name, recordingOperation(name, runs));
        return ops;
      },
    });
    return harness;
  }

  const last = (replies: StoredChatMessage[]) => replies[replies.length - 1];
  const text = (m: StoredChatMessage | undefined) => m?.text ?? '';

  it('answers help with the generated command list in the thread', async () => {
    const h = await start();
    const { replies } = await h.say('alice', 'help');
    expect(replies).toHaveLength(1);
    expect(text(replies[0])).toContain('scale <app> <process> <n>');
    expect(statusOf(replies[0])).toBe('info');
  });

  it('suggests the command on a typo', async () => {
    const h = await start();
    const { replies } = await h.say('alice', 'sycn web');
    expect(text(last(replies))).toContain('did you mean `sync`');
    expect(statusOf(last(replies))).toBe('failed');
  });

  it('acknowledges an action with one reply that ends with the outcome', async () => {
    const h = await start();
    const events: string[] = [];
    h.engine.events.subscribe((e) => {
      if (e.type === 'chat.message') events.push(e.updated ? 'updated' : 'new');
    });
    const { replies } = await h.say('alice', 'scale web web 3');
    expect(replies).toHaveLength(1);
    expect(statusOf(replies[0])).toBe('done');
    expect(text(replies[0])).toContain('scale web done as web:alice');
    expect(text(replies[0])).toContain('asked by Alice (web:alice)');
    // The person's message, the acknowledgement, then updates of that same reply.
    expect(events.slice(0, 2)).toEqual(['new', 'new']);
    expect(events.slice(2).every((e) => e === 'updated')).toBe(true);
    expect(h.runs).toEqual([
      {
        command: 'scale',
        actor: 'web:alice',
        approvers: [],
        args: { app: 'web', process: 'web', replicas: 3 },
      },
    ]);
  });

  it('refuses with the missing permission and who holds it', async () => {
    const h = await start();
    const { replies } = await h.say('carol', 'scale web web 3');
    expect(statusOf(last(replies))).toBe('refused');
    expect(text(last(replies))).toContain(
      'web:carol lacks the write permission on app web (environment dev)',
    );
    expect(text(last(replies))).toContain('held by Alice, Bob, admin');
    expect(h.runs).toHaveLength(0);
  });

  it('lets a lock block everyone but its holder; admins break it with --force', async () => {
    const config = controlConfig();
    const engine = createConfigEngine(config);
    harness = await createChatHarness({
      dir: await tmp('chat'),
      engine,
      operations: (runs, store) => {
        const real = createOperations({
          engine,
          store,
          source: undefined as never,
          writeBack: undefined as never,
          controlRepo: { url: '/control', ref: 'main' },
          log: { debug() {}, info() {}, warn() {}, error() {}, child: () => undefined as never },
        });
        const ops = new Map<string, Operation>();
        for (const name of ['lock', 'unlock']) {
          const op = real.get(name);
          if (op) ops.set(name, op);
        }
        ops.set('scale', recordingOperation('scale', runs));
        return ops;
      },
    });
    const h = harness;
    expect(text(last((await h.say('alice', 'lock web db migration')).replies))).toContain(
      'web is locked by Alice (web:alice): db migration',
    );
    const blocked = last((await h.say('bob', 'scale web web 2')).replies);
    expect(statusOf(blocked)).toBe('refused');
    expect(text(blocked)).toContain('app web is locked by Alice (web:alice)');
    expect(text(blocked)).toContain('db migration');
    expect(h.runs).toHaveLength(0);
    // The holder may still change it — from another platform too, as the same person.
    expect(statusOf(last((await h.say('alice', 'scale web web 2')).replies))).toBe('done');
    expect(text(last((await h.say('alice', 'locks')).replies))).toContain('db migration');
    expect(statusOf(last((await h.say('bob', 'unlock web')).replies))).toBe('refused');
    const forced = last((await h.say('bob', 'unlock web --force')).replies);
    expect(text(forced)).toContain('lacks the admin permission');
    expect(text(last((await h.say('admin', 'unlock web --force')).replies))).toContain(
      'broke the lock Alice (web:alice) held',
    );
    expect(statusOf(last((await h.say('bob', 'scale web web 4')).replies))).toBe('done');
  });

  it('gates prod behind an approval: self-approval refused, another person approves, it runs as the requester', async () => {
    const h = await start();
    const asked = await h.say('alice', 'scale web-prod web 3');
    const pending = last(asked.replies);
    expect(statusOf(pending)).toBe('awaiting-approval');
    const [approval] = await h.store.listApprovals({ status: 'pending' });
    if (!approval) throw new Error('no approval stored');
    expect(text(pending)).toContain(`Request ${approval.id}`);
    expect(text(pending)).toContain('May approve: Bob, admin');
    expect((pending?.body as ChatMessage | undefined)?.blocks.some((b) => b.type === 'buttons')).toBe(true);
    expect(h.runs).toHaveLength(0);

    const self = last((await h.say('alice', `approve ${approval.id}`, asked.request.id)).replies);
    expect(text(self)).toContain('cannot approve it');
    const viaSlackId = await h.actions.decide({
      actor: 'slack:U123',
      approvalId: approval.id,
      decision: 'approve',
      platform: 'slack',
    });
    expect(viaSlackId.status).toBe('refused');
    const carol = last((await h.say('carol', `approve ${approval.id}`)).replies);
    expect(text(carol)).toContain('lacks the approve permission on app web-prod (environment prod)');
    expect(h.runs).toHaveLength(0);

    const bob = last((await h.say('bob', `approve ${approval.id}`)).replies);
    expect(statusOf(bob)).toBe('done');
    expect(text(bob)).toContain('ran as Alice (web:alice)');
    expect(h.runs).toEqual([
      {
        command: 'scale',
        actor: 'web:alice',
        approvers: ['web:bob'],
        args: { app: 'web-prod', process: 'web', replicas: 3 },
      },
    ]);
    expect((await h.store.getApproval(approval.id))?.status).toBe('executed');
    // The request's thread: its reply now says it was approved, and the run reported there.
    const thread = await h.thread(asked.request.id);
    expect(text(thread.find((m) => m.id === pending?.id))).toContain(
      'approved — approved by Bob (web:bob) and ran',
    );
    const run = thread.find((m) => text(m).includes('scale web-prod done as web:alice'));
    expect(statusOf(run)).toBe('done');
    expect(text(run)).toContain('Approved by: Bob (web:bob)');
    const second = last((await h.say('bob', `approve ${approval.id}`)).replies);
    expect(text(second)).toContain('already executed');
  });

  it('decides from a button click, authorizing the clicker like anyone else', async () => {
    const h = await start();
    const asked = await h.say('alice', 'scale web-prod web 2');
    const pending = last(asked.replies);
    const [approval] = await h.store.listApprovals({ status: 'pending' });
    if (!approval || !pending) throw new Error('no approval');
    await h.web.click({
      room: 'ops',
      user: 'carol',
      messageId: pending.id,
      action: 'approval.approve',
      value: approval.id,
    });
    await h.settle();
    expect(h.runs).toHaveLength(0);
    expect(text(last(await h.thread(asked.request.id)))).toContain('lacks the approve permission');
    await h.web.click({
      room: 'ops',
      user: 'bob',
      messageId: pending.id,
      action: 'approval.deny',
      value: approval.id,
    });
    await h.settle();
    expect((await h.store.getApproval(approval.id))?.status).toBe('denied');
    expect(text((await h.thread(asked.request.id)).find((m) => m.id === pending.id))).toContain(
      'was denied — denied by Bob',
    );
    expect(h.runs).toHaveLength(0);
  });

  it('expires a request that waited too long; it counts as denied', async () => {
    const h = await start();
    await h.say('alice', 'scale web-prod web 5');
    const [approval] = await h.store.listApprovals({ status: 'pending' });
    if (!approval) throw new Error('no approval');
    h.clock.now = new Date(Date.parse(approval.expiresAt) + 1000);
    const late = last((await h.say('bob', `approve ${approval.id}`)).replies);
    expect(text(late)).toContain('expired');
    expect((await h.store.getApproval(approval.id))?.status).toBe('expired');
    expect(h.runs).toHaveLength(0);
    const audit = await h.store.listAudit({ limit: 5 });
    expect(audit.some((e) => e.action === 'approval.decided' && e.decision === 'expired')).toBe(true);
  });

  it('audits every command and verifies the chain, which fails after a row is altered', async () => {
    const h = await start();
    const announced: number[] = [];
    h.engine.events.subscribe((e) => {
      if (e.type === 'audit.appended') announced.push(e.entry.seq);
    });
    await h.say('alice', 'whoami');
    await h.say('carol', 'scale web web 1');
    await h.say('alice', 'nonsense here');
    const entries = await h.store.listAudit({ limit: 10 });
    // Each entry is announced for the dashboard's timeline.
    expect(announced.sort()).toEqual(entries.map((e) => e.seq).sort());
    const byAction = (action: string) => entries.find((e) => e.action === action);
    expect(byAction('command.whoami')).toMatchObject({
      actor: 'web:alice',
      platform: 'web',
      channel: 'ops',
      decision: 'allowed',
    });
    expect(byAction('command.scale')).toMatchObject({
      actor: 'web:carol',
      decision: 'refused',
      text: 'scale web web 1',
    });
    expect(byAction('command.unknown')).toMatchObject({ decision: 'refused', text: 'nonsense here' });
    expect(text(last((await h.say('alice', 'audit --verify')).replies))).toContain('audit log intact');

    const db = new Database(join(h.dir, 'wheelhouse.db'));
    try {
      db.prepare('UPDATE audit SET result = ? WHERE seq = ?').run('nothing to see', 2);
    } finally {
      db.close();
    }
    const broken = last((await h.say('alice', 'audit --verify')).replies);
    expect(statusOf(broken)).toBe('failed');
    expect(text(broken)).toContain('entry 2');
  });

  it('keeps secrets out of replies', async () => {
    const redactor = createRedactor({ patterns: ['sk-[a-z0-9]+'] });
    const h = await start(controlConfig(), redactor);
    const { replies, request } = await h.say('alice', 'lock sk-abc123 please');
    expect(text(request)).toBe('lock *** please');
    expect(replies.map(text).join('\n')).not.toContain('sk-abc123');
    const audit = await h.store.listAudit({ limit: 3 });
    expect(JSON.stringify(audit)).not.toContain('sk-abc123');
  });

  it('runs a retried delivery once', async () => {
    const h = await start();
    const message = {
      platform: 'web',
      channel: 'ops',
      user: 'alice',
      text: 'scale web web 2',
      ts: 'same-id',
    };
    await h.chat.onMessage(message);
    await h.chat.onMessage(message);
    expect(h.runs).toHaveLength(1);
  });
});
