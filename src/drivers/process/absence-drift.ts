import { describeExit, restartsAfter } from './describe.js';
import type { ProcessSpec } from './kind-process.js';
import type { ReplicaRecord } from './state-types.js';

/** Signals a person or another program sends; a crash (SIGSEGV, SIGABRT, ...) is the process's own doing. */
const FROM_OUTSIDE: ReadonlySet<string> = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

/**
 * Whether a declared replica that is not running is drift (something outside Git changed the
 * target: it was stopped, or killed from outside and its restart policy does not bring it
 * back), and why; `undefined` when it is the replica's own doing (it exited, crashed or could not
 * start), which is health — restarting, crash loop, not running — and never drift. A replica the
 * supervisor restarts (by its `restart` policy) is never drift either, even before its restart
 * is scheduled.
 */
export function absenceDrift(record: ReplicaRecord, restart: ProcessSpec['restart']): string | undefined {
  if (record.stopped) return 'it was stopped';
  const exit = record.lastExit;
  if (!exit) return describeExit(exit);
  if (restartsAfter(restart, exit)) return undefined;
  return exit.signal !== null && FROM_OUTSIDE.has(exit.signal) ? describeExit(exit) : undefined;
}
