/**
 * "Identical events within the window are sent once": remembers when each fingerprint was last
 * sent (per destination) and refuses repeats inside the window. Old entries are dropped as it goes.
 */
export interface Deduper {
  /** True when this key was not sent within the window (and records it as sent now). */
  admit(key: string): boolean;
  size(): number;
}

export function createDeduper(windowMs: number, now: () => number = Date.now): Deduper {
  const sentAt = new Map<string, number>();
  return {
    admit(key) {
      const t = now();
      for (const [k, at] of sentAt) {
        if (t - at < windowMs) break;
        sentAt.delete(k);
      }
      const last = sentAt.get(key);
      if (last !== undefined && t - last < windowMs) return false;
      sentAt.delete(key);
      sentAt.set(key, t);
      return true;
    },
    size: () => sentAt.size,
  };
}
