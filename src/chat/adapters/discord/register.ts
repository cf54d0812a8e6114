import { WheelhouseError } from '../../../core/index.js';
import { createDiscordApi } from './api.js';
import { type CommandSpec, discordCommands } from './commands.js';
import { parseDiscordSettings } from './settings.js';

export interface RegisterResult {
  scope: 'guild' | 'global';
  guildId?: string;
  command: string;
  subcommands: string[];
}

/**
 * `wheelhouse chat register discord`: PUT the slash command generated from the catalog to the
 * Discord API (bulk overwrite: what was registered before is replaced). A guild is updated at
 * once; global commands can take a while to appear everywhere.
 */
export async function registerDiscordCommands(input: {
  settings: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
  commands: readonly CommandSpec[];
  /** Overrides `chat.discord.guildId`. */
  guildId?: string;
  fetch?: typeof fetch;
}): Promise<RegisterResult> {
  const config = parseDiscordSettings(input.settings, input.env);
  if (!config.botToken) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      'registering Discord commands needs the bot token: set chat.discord.botTokenEnv in wheelhouse.yaml and export that variable',
      { details: { path: 'chat.discord.botTokenEnv' } },
    );
  }
  const api = createDiscordApi({
    baseUrl: config.apiBaseUrl,
    applicationId: config.applicationId,
    botToken: config.botToken,
    ...(input.fetch ? { fetch: input.fetch } : {}),
  });
  const definitions = discordCommands(input.commands, config.commandName);
  const guildId = input.guildId ?? config.guildId;
  await api.putCommands(definitions, guildId);
  return {
    scope: guildId ? 'guild' : 'global',
    ...(guildId ? { guildId } : {}),
    command: config.commandName,
    subcommands: (definitions[0]?.options ?? []).map((o) => o.name),
  };
}
