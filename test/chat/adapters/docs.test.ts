import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSlackSettings, SLACK_PATHS } from '../../../src/chat/adapters/slack/index.js';
import { parseTeamsSettings, TEAMS_PATH } from '../../../src/chat/adapters/teams/index.js';

const docs = (path: string) => new URL(`../../../docs/${path}`, import.meta.url);
const yamlBlocks = (text: string): string[] =>
  [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
/** Every `...Env` variable a section names, set to a placeholder. */
const envFor = (section: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(section)
      .filter(([key, value]) => key.endsWith('Env') && typeof value === 'string')
      .map(([, value]) => [String(value), 'placeholder']),
  );

describe('Slack setup guide and app manifest', () => {
  it('the chat.slack examples are valid settings', async () => {
    const sections = yamlBlocks(await readFile(docs('chat-slack.md'), 'utf8'))
      .map((block) => parse(block) as { chat?: { slack?: Record<string, unknown> } })
      .flatMap((doc) => (doc?.chat?.slack ? [doc.chat.slack] : []));
    expect(sections).toHaveLength(2);
    for (const section of sections) expect(() => parseSlackSettings(section, envFor(section))).not.toThrow();
  });

  it('the manifest points Slack at the endpoints the adapter serves, with the events and scopes it needs', async () => {
    const manifest = parse(await readFile(docs('slack-app-manifest.yaml'), 'utf8')) as {
      features: { slash_commands: { command: string; url: string }[] };
      oauth_config: { scopes: { bot: string[] } };
      settings: {
        event_subscriptions: { request_url: string; bot_events: string[] };
        interactivity: { is_enabled: boolean; request_url: string };
      };
    };
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe(SLACK_PATHS.events);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(SLACK_PATHS.interactivity);
    expect(manifest.features.slash_commands.map((c) => new URL(c.url).pathname)).toEqual([
      SLACK_PATHS.commands,
    ]);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history']),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});

describe('Teams setup guide and app package', () => {
  it('the chat.teams example is valid settings', async () => {
    const sections = yamlBlocks(await readFile(docs('chat-teams.md'), 'utf8'))
      .map((block) => parse(block) as { chat?: { teams?: Record<string, unknown> } })
      .flatMap((doc) => (doc?.chat?.teams ? [doc.chat.teams] : []));
    expect(sections).toHaveLength(1);
    for (const section of sections) expect(() => parseTeamsSettings(section, envFor(section))).not.toThrow();
    expect(await readFile(docs('chat-teams.md'), 'utf8')).toContain(TEAMS_PATH);
  });

  it('the manifest declares a bot in every scope, and its icons have the sizes Teams requires', async () => {
    const manifest = JSON.parse(await readFile(docs('teams-app/manifest.json'), 'utf8')) as {
      manifestVersion: string;
      id: string;
      icons: { color: string; outline: string };
      bots: { botId: string; scopes: string[] }[];
    };
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(manifest.id).toMatch(guid);
    expect(manifest.bots[0]?.botId).toMatch(guid);
    expect(manifest.bots[0]?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    const size = async (file: string) => {
      const png = await readFile(docs(`teams-app/${file}`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    expect(await size(manifest.icons.color)).toEqual([192, 192]);
    expect(await size(manifest.icons.outline)).toEqual([32, 32]);
  });
});
