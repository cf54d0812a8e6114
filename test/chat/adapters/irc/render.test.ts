import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIrc, splitForIrc, utf8Length } from '../../../../src/chat/adapters/irc/index.js';
import { expectGolden } from '../golden.js';
import { GOLDEN_MESSAGES } from '../messages.js';

const GOLDEN = join(import.meta.dirname, 'golden');

describe('IRC rendering of the neutral messages', () => {
  for (const [name, msg] of Object.entries(GOLDEN_MESSAGES)) {
    it(`renders ${name} like the golden file`, async () => {
      const lines = renderIrc(msg, { prefix: '!wh', maxLines: 12, addressee: 'alice' }).flatMap((l) =>
        splitForIrc(l, 400),
      );
      for (const line of lines) expect(utf8Length(line)).toBeLessThanOrEqual(400);
      await expectGolden(join(GOLDEN, `${name}.txt`), lines.join('\n'));
    });
  }

  it('turns buttons into the command to type, with the prefix', () => {
    const lines = renderIrc(GOLDEN_MESSAGES['awaiting-approval'] ?? { text: '', blocks: [] }, {
      prefix: '!deploy',
      maxLines: 20,
    });
    expect(lines).toContain('→ Approve: !deploy approve 3fa9c2d1 · Deny: !deploy deny 3fa9c2d1');
  });

  it('cuts long messages but keeps the line that says how to approve', () => {
    const long = {
      text: '',
      blocks: [
        { type: 'code' as const, text: Array.from({ length: 50 }, (_, i) => `+ line ${i}`).join('\n') },
        {
          type: 'buttons' as const,
          buttons: [{ action: 'approval.approve', label: 'Approve', value: 'abc' }],
        },
      ],
    };
    const lines = renderIrc(long, { prefix: '!wh', maxLines: 6 });
    expect(lines).toHaveLength(6);
    expect(lines).toContain('→ Approve: !wh approve abc');
    expect(lines.at(-1)).toMatch(/^… 46 more lines not shown/);
  });
});
