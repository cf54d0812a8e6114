import { join } from 'node:path';
import type { ChatAdapter, ControlConfig, Logger } from '../../core/index.js';
import { COMMANDS } from '../commands/registry.js';
import type { ChatAdapterDeps } from './deps.js';
import { createDiscordAdapter } from './discord/index.js';
import { createIrcAdapter } from './irc/index.js';
import { createMattermostAdapter } from './mattermost/index.js';
import { slackAdapterFactory } from './slack/index.js';
import { teamsAdapterFactory } from './teams/index.js';

export type { ChatAdapterDeps } from './deps.js';

export type ChatAdapterFactory = (deps: ChatAdapterDeps) => ChatAdapter;

/** One line per platform. The built-in web chat is always on and is not listed here. */
export const chatAdapterFactories: Readonly<Record<string, ChatAdapterFactory>> = {
  slack: slackAdapterFactory,
  teams: teamsAdapterFactory,
  mattermost: (deps) => createMattermostAdapter(deps),
  discord: (deps) => createDiscordAdapter(deps, COMMANDS),
  irc: (deps) => createIrcAdapter(deps, COMMANDS),
};

/** The adapters for every platform that has a `chat.<platform>` section. */
export function configuredAdapters(
  config: ControlConfig,
  deps: Omit<ChatAdapterDeps, 'settings' | 'log'> & { log: Logger },
): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  for (const [platform, settings] of Object.entries(config.chat)) {
    const factory = chatAdapterFactories[platform];
    if (!factory) {
      deps.log.warn(
        `chat.${platform} is configured but this build has no ${platform} adapter; it is ignored`,
      );
      continue;
    }
    adapters.push(
      factory({
        ...deps,
        settings,
        stateDir: join(deps.stateDir, platform),
        log: deps.log.child({ platform }),
      }),
    );
  }
  return adapters;
}
