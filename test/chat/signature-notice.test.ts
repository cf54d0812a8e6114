import { describe, expect, it } from 'vitest';
import { buildNotice } from '../../src/chat/notify/notice.js';
import type { ControlConfig } from '../../src/core/index.js';

/* Issue 19: a revision refused for its signature is told in chat like a failed sync, once per message. */
describe('signature.refused notice', () => {
  it('is a sync.failed notice naming the app, the commit and the reason, with secrets redacted', async () => {
    const config = { apps: [{ name: 'web', environment: 'prod' }] } as unknown as ControlConfig;
    const message =
      'revision 4c1d2e9 of app web is not applied: commit 4c1d2e9 is not signed; expected a GPG signature by a key in keys/alice.asc; web stays on 9a8b7c6, the last verified revision. token-SECRET';
    const notice = await buildNotice(
      { type: 'signature.refused', app: 'web', revision: '4c1d2e9f'.padEnd(40, '0'), message, id: 1, at: '' },
      {
        config: () => config,
        engine: { status: () => ({}) as never },
        store: { getApproval: async () => undefined },
        redact: (text) => text.replaceAll('token-SECRET', '***'),
      },
    );
    expect(notice).toMatchObject({
      event: 'sync.failed',
      app: 'web',
      environment: 'prod',
      operation: `signature:web:${'4c1d2e9f'.padEnd(40, '0')}`,
    });
    const text = JSON.stringify(notice?.message);
    expect(text).toContain('web (prod) does not sync to 4c1d2e9: its signature is not trusted');
    expect(text).toContain('commit 4c1d2e9 is not signed');
    expect(text).not.toContain('token-SECRET');
  });
});
