// Discord: the interactions endpoint (Ed25519-verified), deferred replies and edits, buttons, slash command registration.
export {
  createDiscordAdapter,
  DISCORD_INTERACTIONS_PATH,
  DISCORD_PLATFORM,
  type DiscordAdapter,
  type DiscordAdapterDeps,
} from './adapter.js';
export { createDiscordApi, type DiscordApi, DiscordApiError, type DiscordMessage } from './api.js';
export {
  type CommandSpec,
  type DiscordCommandDefinition,
  type DiscordOption,
  discordCommands,
  type InteractionOption,
  interactionText,
  OPTION,
  RUN_SUBCOMMAND,
} from './commands.js';
export { type RegisterResult, registerDiscordCommands } from './register.js';
export {
  customIdOf,
  DISCORD_LIMITS,
  type DiscordMessageBody,
  parseCustomId,
  renderDiscord,
} from './render.js';
export {
  type DiscordConfig,
  type DiscordSettings,
  discordSettingsSchema,
  parseDiscordSettings,
} from './settings.js';
export { discordPublicKey, type Verification, verifyDiscordRequest } from './verify.js';
