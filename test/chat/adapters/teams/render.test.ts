import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Activity,
  renderTeamsMessage,
  serviceUrlAllowed,
  TEAMS_LIMITS,
  textOf,
} from '../../../../src/chat/adapters/teams/index.js';
import { code, message, text } from '../../../../src/chat/core/message.js';
import { TEAMS_MESSAGE_LIMIT_BYTES, validateCard } from '../../../support/emulators/teams.js';
import { expectGolden } from '../../../support/golden.js';
import { NEUTRAL_MESSAGES } from '../../../support/neutral-messages.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const DASHBOARD = 'https://wheelhouse.example.test';

describe('Teams Adaptive Card rendering', () => {
  for (const [name, neutral] of Object.entries(NEUTRAL_MESSAGES)) {
    it(`renders ${name} as its golden file, a card Teams accepts`, async () => {
      const rendered = renderTeamsMessage(neutral, { dashboardUrl: DASHBOARD });
      await expectGolden(join(GOLDEN, `${name}.json`), rendered);
      const card = rendered.attachments[0]?.content;
      expect(validateCard(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify({ type: 'message', ...rendered }))).toBeLessThan(
        TEAMS_MESSAGE_LIMIT_BYTES,
      );
    });
  }

  it('buttons are Action.Execute with an Action.Submit fallback, both carrying the action and value', () => {
    const rendered = renderTeamsMessage(NEUTRAL_MESSAGES['awaiting-approval'] ?? message([]));
    const actions = (rendered.attachments[0]?.content.body ?? []).flatMap((e) =>
      e.type === 'ActionSet' ? (e.actions as Record<string, unknown>[]) : [],
    );
    expect(actions.map((a) => [a.type, a.verb, a.style])).toEqual([
      ['Action.Execute', 'approval.approve', 'positive'],
      ['Action.Execute', 'approval.deny', 'destructive'],
    ]);
    expect(actions[0]?.data).toEqual({ wheelhouse: { action: 'approval.approve', value: 'a1b2c3d4' } });
    expect(actions[0]?.fallback).toMatchObject({ type: 'Action.Submit', data: actions[0]?.data });
  });

  it('cuts long code and links to the dashboard; a huge message still fits', () => {
    const rendered = renderTeamsMessage(NEUTRAL_MESSAGES['long-diff'] ?? message([]), {
      dashboardUrl: DASHBOARD,
    });
    const body = rendered.attachments[0]?.content.body ?? [];
    const codeBlock = body.find((e) => e.type === 'CodeBlock');
    expect(String(codeBlock?.codeSnippet).length).toBeLessThanOrEqual(TEAMS_LIMITS.codeChars);
    expect(String(codeBlock?.codeSnippet)).toMatch(/… \d+ more lines not shown$/);
    expect(JSON.stringify(body)).toContain(`"url":"${DASHBOARD}"`);

    const huge = message([
      ...Array.from({ length: 40 }, (_v, i) => text(`paragraph ${i} ${'x'.repeat(900)}`)),
      code('y'.repeat(50_000)),
    ]);
    const fitted = renderTeamsMessage(huge, { dashboardUrl: DASHBOARD });
    expect(Buffer.byteLength(JSON.stringify(fitted.attachments[0]?.content))).toBeLessThanOrEqual(
      TEAMS_LIMITS.cardBytes,
    );
    expect(validateCard(fitted.attachments[0]?.content)).toEqual([]);
  });
});

describe('Teams text as typed', () => {
  const activity = (text: string, entities: Activity['entities'] = []): Activity => ({
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    conversation: { id: '19:x@thread.tacv2' },
    recipient: { id: '28:bot', name: 'Wheelhouse' },
    text,
    entities,
  });

  it('drops the bot mention, keeps other mentions as names, decodes entities', () => {
    expect(
      textOf(
        activity('<at>Wheelhouse</at> lock web <at>Bob</at> &amp; me&nbsp;now', [
          { type: 'mention', text: '<at>Wheelhouse</at>', mentioned: { id: '28:bot' } },
          { type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:bob' } },
        ]),
      ),
    ).toBe('lock web Bob & me now');
    expect(textOf(activity('<p>status <b>web</b></p>'))).toBe('status web');
  });
});

describe('service URL allow-list', () => {
  const allow = ['https://smba.trafficmanager.net', 'https://*.example.com', 'http://127.0.0.1:3978'];
  it('allows listed origins only', () => {
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/amer/', allow)).toBe(true);
    expect(serviceUrlAllowed('https://a.b.example.com/x/', allow)).toBe(true);
    expect(serviceUrlAllowed('http://127.0.0.1:3978/', allow)).toBe(true);
    expect(serviceUrlAllowed('https://example.com/', allow)).toBe(false);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net.evil.test/', allow)).toBe(false);
    expect(serviceUrlAllowed('http://smba.trafficmanager.net/', allow)).toBe(false);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net:8443/', allow)).toBe(false);
    expect(serviceUrlAllowed('https://user:pw@smba.trafficmanager.net/', allow)).toBe(false);
    expect(serviceUrlAllowed('http://127.0.0.1:3979/', allow)).toBe(false);
    expect(serviceUrlAllowed('file:///etc/passwd', allow)).toBe(false);
  });
});
