import type { Actions } from '../../access/index.js';
import type { Engine, Logger, SourceProvider, Store } from '../../core/index.js';
import type { ImagesResponse } from '../../wire/index.js';
import type { CommandDefinition } from '../commands/definition.js';

/** What the chat pipeline needs from the rest of Wheelhouse. */
export interface ChatDeps {
  engine: Engine;
  store: Store;
  actions: Actions;
  source?: SourceProvider;
  commands: readonly CommandDefinition[];
  log: Logger;
  /** Applied to everything the bot says and stores (secret values and patterns). */
  redact: (text: string) => string;
  now: () => Date;
  /**
   * Words that address the bot and are stripped before parsing (`!wh`, `/wh`, `@wheelhouse`).
   * Adapters strip platform mentions themselves.
   */
  prefixes: readonly string[];
  /** The image policies and their last checks (`images` in chat); absent: none are watched. */
  images?: () => ImagesResponse['images'];
}
