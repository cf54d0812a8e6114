import { afterEach, describe, expect, it } from 'vitest';
import { type ChatHarness, createChatHarness } from '../support/chat-harness.js';
import { createConfigEngine } from '../support/config-engine.js';
import { controlConfig } from '../support/control-config.js';
import { tempDirs } from '../support/tmp.js';

/** Chat's `status` says what an app depends on and why its sync waits or is blocked. */
describe('status in chat of an app with dependsOn', () => {
  const tmp = tempDirs();
  let harness: ChatHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('names the dependency that blocks the app and why, in the list and in detail', async () => {
    const engine = createConfigEngine(controlConfig());
    engine.patchStatus('web', {
      syncStatus: 'OutOfSync',
      dependsOn: ['db'],
      waiting: {
        on: ['db'],
        reason: 'db failed its last sync (abc1234): Process db exited with code 3',
        blocked: true,
        since: new Date().toISOString(),
      },
    });
    harness = await createChatHarness({ dir: await tmp('chat'), engine, operations: () => new Map() });
    const detail = await harness.say('alice', 'status web');
    const text = detail.replies.map((r) => r.text).join('\n');
    expect(text).toContain('Depends on');
    expect(text).toMatch(
      /Blocked[^\n]*\n?[^\n]*db failed its last sync \(abc1234\): Process db exited with code 3/,
    );
    const list = await harness.say('alice', 'status');
    expect(list.replies.map((r) => r.text).join('\n')).toMatch(/^web .*blocked by db/m);
  });
});
