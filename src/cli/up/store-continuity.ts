import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, type Store, WheelhouseError } from '../../core/index.js';
import { ADMIN_TOKEN_FILE } from '../../server/index.js';
import { probeStore, type StoreProbe } from '../../store/index.js';

/** Written next to the state once a store is in use: which store this data dir belongs with. */
export const STORE_MARKER_FILE = 'store.json';

/**
 * A data dir that holds state from an earlier run (an admin token, git mirrors, a store marker)
 * next to a store that is missing or empty means the store was lost, not that this is a first
 * start: audit, users, history and locks would silently start over (a locked app would sync
 * again). Start-up refuses that unless `--reset-store` says it is meant; the reset is then the
 * first entry of the new store's audit log.
 */
export async function checkStoreContinuity(
  dataDir: string,
  storeUrl: string,
  resetStore: boolean,
): Promise<StoreProbe & { earlier: string[] }> {
  const probe = await probeStore(storeUrl);
  const earlier = probe.state === 'used' ? [] : await earlierState(dataDir);
  if (earlier.length > 0 && !resetStore) {
    throw new WheelhouseError(
      'STORE_FAILED',
      `refusing to start: the data dir ${dataDir} holds state from an earlier run (${earlier.join('; ')}), ` +
        `but the store at ${probe.location} is ${probe.state === 'missing' ? 'missing' : 'empty'}. Starting would ` +
        'lose the audit log, users, sync history and locks. Restore the store from a backup (docs/storage.md, ' +
        '"Backup and restore"), point --store at the right database, or, to start over with an empty store ' +
        'on purpose, run `wheelhouse up --reset-store`',
      { details: { store: probe.location, dataDir, found: earlier, reason: `store-${probe.state}` } },
    );
  }
  return { ...probe, earlier };
}

/** After the store opened: record the reset (when there was one) and mark the data dir. */
export async function markStoreInUse(
  dataDir: string,
  store: Store,
  checked: StoreProbe & { earlier: string[] },
  resetStore: boolean,
  log: Logger,
): Promise<void> {
  if (checked.state !== 'used' && checked.earlier.length > 0 && resetStore) {
    await store.appendAudit({
      actor: `system:${process.env.USER ?? 'operator'}`,
      action: 'store.reset',
      result: 'started with an empty store (--reset-store)',
      details: { store: checked.location, previousStore: checked.state, found: checked.earlier },
    });
    log.warn(
      { store: checked.location, found: checked.earlier },
      'started with an empty store (--reset-store)',
    );
  } else if (resetStore) {
    log.warn({ store: checked.location }, '--reset-store had no effect: the store already holds state');
  }
  const marker = join(dataDir, STORE_MARKER_FILE);
  const text = `${JSON.stringify({ store: checked.location })}\n`;
  if ((await readFile(marker, 'utf8').catch(() => '')) !== text)
    await writeFile(marker, text, { mode: 0o600 });
}

async function earlierState(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const marker = await readFile(join(dataDir, STORE_MARKER_FILE), 'utf8').catch(() => undefined);
  if (marker !== undefined)
    found.push(`${STORE_MARKER_FILE} records a store used before (${storeOf(marker)})`);
  if (await exists(join(dataDir, ADMIN_TOKEN_FILE))) found.push(`an admin token (${ADMIN_TOKEN_FILE})`);
  const mirrors = await readdir(join(dataDir, 'git', 'mirrors')).catch(() => []);
  if (mirrors.length > 0) found.push(`${mirrors.length} git mirror(s) (git/mirrors)`);
  return found;
}

function storeOf(marker: string): string {
  try {
    const parsed = JSON.parse(marker) as { store?: unknown };
    return typeof parsed.store === 'string' ? parsed.store : 'unknown';
  } catch {
    return 'unreadable';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
