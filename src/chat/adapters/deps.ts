// What the registry hands every platform adapter (one shape for all of them).
import type { Logger, Store } from '../../core/index.js';

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
