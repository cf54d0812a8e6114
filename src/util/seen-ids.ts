/**
 * Ids seen within a time window, in memory: `add` answers false for an id already seen. The
 * fallback for replay protection when no persistent store is at hand; bounded by `max` entries
 * (the oldest are forgotten first).
 */
export interface SeenIds {
  add(id: string): boolean;
  readonly size: number;
}

export function createSeenIds(ttlMs: number, max = 10_000, now: () => number = Date.now): SeenIds {
  const seen = new Map<string, number>();
  return {
    add(id) {
      const at = now();
      // Map iterates in insertion order, so the oldest entries come first.
      for (const [key, when] of seen) {
        if (at - when < ttlMs && seen.size < max) break;
        seen.delete(key);
      }
      if (seen.has(id)) return false;
      seen.set(id, at);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}

/** Records a delivery id; false when it was recorded before (the Store port's `markDelivered`). */
export type MarkDelivered = (source: string, id: string) => Promise<boolean>;

/**
 * The store's `markDelivered` when there is a store (ids survive restarts), else an in-memory
 * window of `ttlMs`.
 */
export function deliveryCheck(
  store: { markDelivered: MarkDelivered } | undefined,
  ttlMs: number,
): MarkDelivered {
  if (store) return (source, id) => store.markDelivered(source, id);
  const seen = createSeenIds(ttlMs);
  return async (source, id) => seen.add(`${source}\u0000${id}`);
}
