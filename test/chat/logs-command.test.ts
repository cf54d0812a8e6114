import { afterEach, describe, expect, it } from 'vitest';
import { type ChatHarness, createChatHarness, statusOf } from '../support/chat-harness.js';
import { controlConfig } from '../support/control-config.js';
import { appStatus, createFakeEngine } from '../support/fake-engine.js';
import { tempDirs } from '../support/tmp.js';

// Issue 14 item 11: the `logs` command shows stdout and stderr interleaved as the driver ordered
// them, each line with its replica and time.
describe('chat logs command', () => {
  const tmp = tempDirs();
  let harness: ChatHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('prefixes each line with its replica and time of day, and marks stderr', async () => {
    const engine = createFakeEngine({ apps: [appStatus('web')], config: controlConfig() });
    engine.setLogs('web', 'web', [
      { at: '2026-12-04T16:08:07.001Z', stream: 'stdout', source: 'replica-0', text: 'listening on 7080' },
      { at: '2026-12-04T16:08:08.123Z', stream: 'stderr', source: 'replica-1', text: 'warning: slow start' },
      { stream: 'stdout', source: 'replica-0', text: 'a line from an older file' },
    ]);
    harness = await createChatHarness({ dir: await tmp('chat'), engine, operations: () => new Map() });
    const { replies } = await harness.say('alice', 'logs web');
    const reply = replies.at(-1);
    expect(statusOf(reply)).toBe('info');
    expect(reply?.text).toContain(
      [
        'replica-0 16:08:07 | listening on 7080',
        'replica-1 16:08:08 ! warning: slow start',
        'replica-0 | a line from an older file',
      ].join('\n'),
    );
  });
});
