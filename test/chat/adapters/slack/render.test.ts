import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionOfId,
  renderSlackMessage,
  SLACK_LIMITS,
  type SlackBlock,
  slackToPlain,
} from '../../../../src/chat/adapters/slack/index.js';
import { buttons, message } from '../../../../src/chat/core/message.js';
import { validateBlocks } from '../../../support/emulators/slack.js';
import { expectGolden } from '../../../support/golden.js';
import { NEUTRAL_MESSAGES } from '../../../support/neutral-messages.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const DASHBOARD = 'https://wheelhouse.example.test';

const sectionTexts = (blocks: SlackBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && 'text' in b ? [b.text.text] : []));

describe('Slack Block Kit rendering', () => {
  for (const [name, neutral] of Object.entries(NEUTRAL_MESSAGES)) {
    it(`renders ${name} as its golden file, within Slack's limits`, async () => {
      const rendered = renderSlackMessage(neutral, { dashboardUrl: DASHBOARD });
      await expectGolden(join(GOLDEN, `${name}.json`), rendered);
      expect(validateBlocks(rendered.blocks)).toEqual([]);
      expect(rendered.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    });
  }

  it('escapes &, < and > so text cannot mention, link or break out', () => {
    const rendered = renderSlackMessage(NEUTRAL_MESSAGES['special-characters'] ?? message([]));
    const all = JSON.stringify(rendered);
    expect(all).not.toContain('<@U0EVIL>');
    expect(all).not.toContain('<!channel>');
    expect(sectionTexts(rendered.blocks)[0]).toBe(
      'Tags &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends: &lt;@U0EVIL&gt; &lt;!channel&gt; a &gt; b',
    );
  });

  it('cuts a long diff to 3,000 characters with a link to the dashboard', () => {
    const rendered = renderSlackMessage(NEUTRAL_MESSAGES['long-diff'] ?? message([]), {
      dashboardUrl: DASHBOARD,
    });
    const fence = sectionTexts(rendered.blocks).find((t) => t.startsWith('```'));
    expect(fence?.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(fence).toMatch(/… \d+ more lines not shown\n```$/);
    expect(JSON.stringify(rendered.blocks)).toContain(`<${DASHBOARD}|Wheelhouse dashboard>`);
  });

  it('keeps at most 50 blocks, and always the buttons and the closing context', () => {
    const rendered = renderSlackMessage(NEUTRAL_MESSAGES['many-blocks'] ?? message([]));
    expect(rendered.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(rendered.blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
    expect(JSON.stringify(rendered.blocks.at(-1))).toContain('asked by Alice');
    expect(JSON.stringify(rendered.blocks)).toContain('more blocks not shown');
  });

  it('gives every button a unique action_id that maps back to its action', () => {
    const rendered = renderSlackMessage(
      message([
        buttons(
          { action: 'approval.approve', label: 'Approve', value: '1' },
          { action: 'approval.approve', label: 'Approve too', value: '2' },
        ),
      ]),
    );
    const ids = rendered.blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => e.action_id) : [],
    );
    expect(ids).toEqual(['approval.approve', 'approval.approve#2']);
    expect(ids.map(actionOfId)).toEqual(['approval.approve', 'approval.approve']);
    expect(validateBlocks(rendered.blocks)).toEqual([]);
  });
});

describe('Slack text as typed', () => {
  it('drops the mention of the bot, keeps other mentions readable, unescapes entities and links', () => {
    expect(slackToPlain('<@UBOT> scale web web 3', 'UBOT')).toBe('scale web web 3');
    expect(slackToPlain('hey <@UBOT|wheelhouse>   status', 'UBOT')).toBe('hey status');
    expect(slackToPlain('lock web <@U1|bob> asked &amp; <#C1|ops>', 'UBOT')).toBe(
      'lock web @bob asked & #ops',
    );
    expect(slackToPlain('set env web web URL=<https://x.test/a?b=1&amp;c=2>')).toBe(
      'set env web web URL=https://x.test/a?b=1&c=2',
    );
    expect(slackToPlain('lock web a &lt;b&gt; <!here>')).toBe('lock web a <b> @here');
  });
});
