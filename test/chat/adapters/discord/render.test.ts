import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  customIdOf,
  DISCORD_LIMITS,
  parseCustomId,
  renderDiscord,
} from '../../../../src/chat/adapters/discord/index.js';
import { code, fields, message, text } from '../../../../src/chat/core/index.js';
import { messageProblems } from '../../../support/emulators/discord.js';
import { expectGolden } from '../golden.js';
import { GOLDEN_MESSAGES } from '../messages.js';

const GOLDEN = join(import.meta.dirname, 'golden');

describe('Discord rendering of the neutral messages', () => {
  for (const [name, msg] of Object.entries(GOLDEN_MESSAGES)) {
    it(`renders ${name} like the golden file, within Discord's limits`, async () => {
      const body = renderDiscord(msg);
      expect(messageProblems(body as unknown as Record<string, unknown>)).toEqual([]);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      await expectGolden(join(GOLDEN, `${name}.json`), JSON.stringify(body, null, 2));
    });
  }

  it('cuts huge messages to Discord’s limits and keeps code fences closed', () => {
    const huge = message(
      [
        text('x'.repeat(5000)),
        fields(Array.from({ length: 40 }, (_, i) => ({ label: `field ${i}`, value: 'v'.repeat(2000) }))),
        text('y'.repeat(9000)),
        code(Array.from({ length: 2000 }, (_, i) => `+ line ${i}`).join('\n'), 'diff'),
      ],
      'failed',
    );
    const body = renderDiscord(huge);
    expect(messageProblems(body as unknown as Record<string, unknown>)).toEqual([]);
    expect(body.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(body.content).toContain('(cut; the dashboard has all of it)');
    const description = body.embeds[0]?.description ?? '';
    expect((description.match(/```/g) ?? []).length % 2).toBe(0);
    expect(description).toMatch(/more characters\n```$/);
    const shown = body.embeds[0]?.fields ?? [];
    expect(shown.length).toBeGreaterThan(2);
    expect(shown.length).toBeLessThanOrEqual(25);
    expect(shown.at(-1)).toEqual({
      name: '…',
      value: `${40 - shown.length + 1} more fields not shown`,
      inline: false,
    });
  });

  it('a code block cannot close its fence early', () => {
    const body = renderDiscord(message([text('head'), code('a\n```\nrm -rf /\n```')]));
    expect((body.embeds[0]?.description?.match(/```/g) ?? []).length).toBe(2);
  });

  it('buttons carry their action in custom_id, and only ours parse back', () => {
    const id = customIdOf({ action: 'approval.approve', value: '3fa9c2d1' });
    expect(id).toBe('wh:approval.approve:3fa9c2d1');
    expect(parseCustomId(id)).toEqual({ action: 'approval.approve', value: '3fa9c2d1' });
    expect(parseCustomId('other:thing')).toBeUndefined();
    expect(parseCustomId('wh::x')).toBeUndefined();
  });

  it('a message with nothing to say still is a valid message', () => {
    const body = renderDiscord({ text: '', blocks: [] });
    expect(messageProblems(body as unknown as Record<string, unknown>)).toEqual([]);
  });
});
