import type { Engine, Logger, RepoRef, SourceProvider, Store } from '../../core/index.js';
import type { WriteBack } from '../../writeback/index.js';

/** What the operations behind chat, API and CLI requests act through. */
export interface OperationDeps {
  engine: Engine;
  store: Store;
  /** Commit lists ("what changed since the last sync") and revision lookups. */
  source: SourceProvider;
  writeBack: WriteBack;
  /** The repository holding wheelhouse.yaml (pause/resume edit it) and the ref followed. */
  controlRepo: RepoRef & { ref: string; protected?: boolean };
  log: Logger;
  now?: () => Date;
  /** Secret redaction: `set env` refuses a value this would change (it looks like a secret). */
  redact?: (text: string) => string;
  /** Ids for branch names of protected sources; default random. */
  newId?: () => string;
}
