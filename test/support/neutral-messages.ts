import type { Identity } from '../../src/access/identity.js';
import { buttons, code, context, fields, message, text } from '../../src/chat/core/message.js';
import {
  awaitingMessage,
  decidedRequestMessage,
  failedMessage,
  resultMessage,
  workingMessage,
} from '../../src/chat/core/render-result.js';
import type { Approval, ChatMessage, Person } from '../../src/core/index.js';

/**
 * Neutral messages as the chat core builds them, for each platform's golden rendering tests:
 * the same inputs render per platform, so a change to the core shows up on every platform.
 */
const alice: Person = { name: 'Alice', email: 'alice@example.com', ids: ['slack:UALICE0001'] };
const bob: Person = { name: 'Bob', email: 'bob@example.com', ids: ['slack:UBOB000001'] };
const identity: Identity = {
  actor: 'slack:UALICE0001',
  platform: 'slack',
  user: 'UALICE0001',
  person: alice,
  ids: alice.ids,
  admin: false,
  groups: [],
};
const now = new Date('2030-01-01T12:00:00Z');

const approval: Approval = {
  id: 'a1b2c3d4',
  app: 'web-prod',
  environment: 'prod',
  command: 'scale',
  args: { app: 'web-prod', process: 'web', replicas: 3 },
  text: 'scale web-prod web 3',
  requester: 'slack:UALICE0001',
  required: 1,
  createdAt: '2030-01-01T12:00:00.000Z',
  expiresAt: '2030-01-01T13:00:00.000Z',
  status: 'pending',
  decisions: [],
  preview: '~ Process/web\n  spec.replicas: 2 → 3',
};

function longDiff(lines: number): string {
  const out: string[] = ['~ Process/web'];
  for (let i = 0; i < lines; i++) out.push(`  spec.env.VAR_${i}: "old-value-${i}" → "new-value-${i}"`);
  return out.join('\n');
}

export const NEUTRAL_MESSAGES: Record<string, ChatMessage> = {
  working: workingMessage('`sync web`', identity, 'applying'),
  'status-table': message(
    [
      text('2 apps, all healthy'),
      code(
        'APP       ENV   SYNC    HEALTH      REVISION  NOTES\nweb       dev   Synced  ✅ Healthy  9c1d2e4\nweb-prod  prod  Synced  ✅ Healthy  9c1d2e4   🔒 slack:UBOB000001',
      ),
    ],
    'info',
  ),
  'sync-result': resultMessage(
    {
      status: 'done',
      outcome: {
        ok: true,
        summary: 'web synced to 9c1d2e4 (web: scale web to 2 replicas): Healthy',
        fields: [
          { label: 'Revision', value: '9c1d2e4 web: scale web to 2 replicas' },
          { label: 'Change set', value: 'configured web' },
        ],
        lines: ['What changed in Git since the last sync:', '• 9c1d2e4 web: scale web to 2 replicas — Alice'],
        health: { status: 'Healthy' },
        commit: '9c1d2e4f00112233445566778899aabbccddeeff',
      },
    },
    identity,
    now,
  ),
  'awaiting-approval': awaitingMessage(approval, ['Bob', 'admin'], identity, now),
  'approval-decided': decidedRequestMessage(
    {
      ...approval,
      status: 'executed',
      decisions: [{ actor: 'slack:UBOB000001', decision: 'approve', at: '2030-01-01T12:05:00.000Z' }],
    },
    [alice, bob],
  ),
  failed: failedMessage(
    'git push was rejected: the branch is protected. Mark the source `protected: true`.',
    identity,
  ),
  'special-characters': message(
    [
      text('Tags <script>alert(1)</script> & friends: <@U0EVIL> <!channel> a > b'),
      fields({ 'Key & value': '<b>not bold</b>' }),
      context('asked by A & B'),
    ],
    'done',
  ),
  'long-diff': message(
    [
      text('⚠️ web-prod differs from Git'),
      code(longDiff(400), 'diff'),
      context('asked by Alice (slack:UALICE0001)'),
    ],
    'info',
  ),
  'many-blocks': message(
    [
      ...Array.from({ length: 60 }, (_v, i) => text(`line block ${i + 1}`)),
      buttons(
        { action: 'approval.approve', label: 'Approve', value: 'x1', style: 'primary' },
        { action: 'approval.deny', label: 'Deny', value: 'x1', style: 'danger' },
      ),
      context('asked by Alice (slack:UALICE0001)'),
    ],
    'awaiting-approval',
  ),
  'many-fields': message(
    [fields(Object.fromEntries(Array.from({ length: 14 }, (_v, i) => [`Field ${i + 1}`, `value ${i + 1}`])))],
    'info',
  ),
};
