import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/chat/adapters/discord/render.js';
import { renderIrc } from '../../src/chat/adapters/irc/render.js';
import { renderMattermost } from '../../src/chat/adapters/mattermost/render.js';
import { renderSlackMessage } from '../../src/chat/adapters/slack/render.js';
import { renderTeamsMessage } from '../../src/chat/adapters/teams/render.js';
import { createWebChatAdapter } from '../../src/chat/adapters/web/index.js';
import { code, fields, message, text } from '../../src/chat/core/message.js';
import { silentLogger } from '../../src/core/index.js';
import { createTestEventBus } from '../support/config-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

/*
 * Issue 12 item 14: control characters from the repo (commit subjects, messages), locks (reasons)
 * and chat reached chat clients raw — an IRC client in a terminal then sets its title, clears the
 * screen or writes the clipboard (OSC 52). Every renderer shows them instead.
 */
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
const CLIP = '\u001b]52;c;ZXZpbA==\u0007';
const hostile = message([
  text(`web: Degraded ${TITLE}`),
  fields({ Lock: `held by web:mallory: ${CLEAR}freeze`, Revision: `abc1234 ${CLIP}` }),
  code('line 1\n\tindented\u001b[8m'),
]);
const createStore = sqliteStores();

function expectNoRawControls(rendered: unknown): void {
  const json = JSON.stringify(rendered);
  // JSON.stringify writes a raw ESC/BEL as \u001b/\u0007: none may be left.
  expect(json).not.toMatch(/\\u00(1b|07)/);
  expect(json).toContain('\\\\x1b]0;pwned\\\\x07');
  expect(json).toContain('\\\\x1b[2J');
  expect(json).toContain('\\\\x1b]52;c;ZXZpbA==\\\\x07');
}

describe('chat renderers', () => {
  it('show control characters on Slack, Teams, Mattermost and Discord, keeping layout', () => {
    expectNoRawControls(renderSlackMessage(hostile));
    expectNoRawControls(renderTeamsMessage(hostile));
    expectNoRawControls(renderMattermost(hostile, () => undefined));
    expectNoRawControls(renderDiscord(hostile));
    expect(JSON.stringify(renderSlackMessage(hostile))).toContain('\\n\\tindented');
  });

  it('show them on IRC, where a terminal client would act on them', () => {
    const lines = renderIrc(hostile, { prefix: '!wh', maxLines: 20 });
    const all = lines.join('\n');
    expect(all.includes('\u001b') || all.includes('\u0007')).toBe(false);
    expect(all).toContain('\\x1b]0;pwned\\x07');
    expect(all).toContain('\\x1b]52;c;ZXZpbA==\\x07');
  });

  it('store them shown in the web chat (the dashboard and `wheelhouse chat` read it)', async () => {
    const store = await createStore();
    const web = createWebChatAdapter({ store, events: createTestEventBus(), log: silentLogger });
    const ref = await web.post({ channel: 'ops' }, hostile);
    const [stored] = await store.listChatMessages('ops', { limit: 10 });
    expect(ref.id).toBe(stored?.id);
    expectNoRawControls(stored?.body);
  });
});
