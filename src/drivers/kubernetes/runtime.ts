import type { Logger } from '../../core/index.js';
import type { KubeClient } from './client.js';
import type { Discovery } from './discovery.js';
import type { InventoryEntry, InventoryStore } from './inventory.js';
import type { LiveCache } from './live-cache.js';
import type { KubeOptions } from './options.js';

/** One connected cluster: what apply, remove, observe and logs share. */
export interface Runtime {
  target: string;
  options: KubeOptions;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  client: KubeClient;
  discovery: Discovery;
  cache: LiveCache;
  inventory: InventoryStore;
  /** Per app, per resource key: what was applied (mirrors the inventory ConfigMaps). */
  entries: Map<string, Map<string, InventoryEntry>>;
  /** Keys being applied or removed now: their watch events are ours, not drift. */
  busy: Set<string>;
  /** resourceVersion each apply left (what a busy key's own watch event carries). */
  appliedVersions: Map<string, string>;
  /** Busy keys whose object changed meanwhile: the last version seen, checked once the apply ends. */
  missed: Map<string, { app: string; version: string; reason: string }>;
  /** Apps in a sync (between beginSync and endSync): their inventory is written when it ends. */
  syncing: Set<string>;
  /** Apps whose inventory changed during their sync and is not written yet. */
  unsaved: Set<string>;
}

/**
 * Record an app's inventory after an apply or a remove: at once outside a sync, once at its end
 * inside one (see `endSync`).
 */
export async function saveInventory(rt: Runtime, app: string): Promise<void> {
  if (rt.syncing.has(app)) {
    rt.unsaved.add(app);
    return;
  }
  await rt.inventory.save(app, entriesOf(rt, app));
}

export function entriesOf(rt: Runtime, app: string): Map<string, InventoryEntry> {
  let entries = rt.entries.get(app);
  if (!entries) {
    entries = new Map();
    rt.entries.set(app, entries);
  }
  return entries;
}

/** Abortable wait between bounded polls of the API server (CRD established, hook finished). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
