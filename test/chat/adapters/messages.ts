import { buttons, code, context, fields, message, text } from '../../../src/chat/core/index.js';
import type { ChatMessage } from '../../../src/core/index.js';

/**
 * Neutral messages every platform's golden files render: one per kind of reply the bot sends,
 * plus the awkward cases (long diffs, markup and mentions in user-controlled text).
 */
export const GOLDEN_MESSAGES: Readonly<Record<string, ChatMessage>> = {
  working: message([text('⏳ `sync web` — on it'), context('asked by Alice (irc:alice)')], 'working'),
  done: message(
    [
      text('✅ synced: web runs 9c1d2e4, Healthy'),
      fields([
        { label: 'Revision', value: '9c1d2e4 Say hello' },
        { label: 'Change set', value: 'configured web' },
        { label: 'Health', value: '✅ Healthy' },
      ]),
      text('What changed in Git since the last sync:\n• 9c1d2e4 Say hello — Alice'),
      context('asked by Alice (discord:80351110224678912)'),
    ],
    'done',
  ),
  'awaiting-approval': message(
    [
      text('🕒 `scale web-prod web 2` needs 1 approval (app web-prod, environment prod). Request 3fa9c2d1.'),
      fields({ 'May approve': 'Bob, admin', Expires: 'in 1h (2030-01-01T01:00:00.000Z)' }),
      code('--- web/Process/web\n-  replicas: 1\n+  replicas: 2\n', 'diff'),
      buttons(
        { action: 'approval.approve', label: 'Approve', value: '3fa9c2d1', style: 'primary' },
        { action: 'approval.deny', label: 'Deny', value: '3fa9c2d1', style: 'danger' },
      ),
      context('asked by Alice (mattermost:alice) · someone else approves with `approve 3fa9c2d1`'),
    ],
    'awaiting-approval',
  ),
  refused: message(
    [
      text(
        '🚫 irc:carol lacks the sync permission on app web (environment dev) (apply what Git declares); it is held by Alice, admin. Ask one of them, or add a binding for you under access.bindings in wheelhouse.yaml',
      ),
      context('asked by irc:carol'),
    ],
    'refused',
  ),
  failed: message(
    [
      text('❌ synced: the sync of web to 9c1d2e4 failed — web: health check failed'),
      fields({ Revision: '9c1d2e4 Break it', 'Change set': 'configured web' }),
      code(
        Array.from(
          { length: 60 },
          (_, i) => `line ${i + 1}: Error: connect ECONNREFUSED 127.0.0.1:8080`,
        ).join('\n'),
      ),
      context('asked by Alice (web:alice)'),
    ],
    'failed',
  ),
  notification: message([
    text('✅ web (dev) synced to 9c1d2e4'),
    fields({ 'Triggered by': 'Alice (web:alice)', Revision: '9c1d2e4 Say hello' }),
    context('notification · sync.succeeded'),
  ]),
  markup: message(
    [
      text(
        '@everyone @here <@123> <!channel> *bold* _it_ ~strike~ `tick` [link](http://x.invalid) <b>&amp;</b>',
      ),
      fields({ 'Reason*': 'db *migration* @channel' }),
      code('```\nnested fence\n```'),
    ],
    'info',
  ),
};
