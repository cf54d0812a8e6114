import { join } from 'node:path';
import type { ChatAdapter, ControlConfig, Logger, Store } from '../../core/index.js';
import { COMMANDS } from '../commands/registry.js';
import { createDiscordAdapter } from './discord/index.js';
import { createIrcAdapter } from './irc/index.js';
import { createMattermostAdapter } from './mattermost/index.js';
import { slackAdapterFactory } from './slack/index.js';
import { teamsAdapterFactory } from './teams/index.js';

/** What a platform adapter gets: its `chat.<platform>` section from wheelhouse.yaml, and where to read secrets. */
export interface ChatAdapterDeps {
  /** The platform's section of `chat:` in wheelhouse.yaml (the adapter validates it). */
  settings: Record<string, unknown>;
  /** Environment the settings' `...Env` names are read from. */
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  /** A directory of its own for state (conversation references, cursors). */
  stateDir: string;
  /** Public base URL of Wheelhouse (for links back to the dashboard), when known. */
  publicUrl?: string;
  /**
   * Remembers delivery ids across restarts (retried or replayed platform deliveries run once).
   * Adapters fall back to an in-memory window when it is absent.
   */
  store?: Pick<Store, 'markDelivered'>;
}

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
