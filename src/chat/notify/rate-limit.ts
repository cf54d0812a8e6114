/**
 * A per-channel rate limit (sliding window): at most `limit` messages per `windowMs` per channel.
 * Messages over the limit are dropped and counted; the next message that gets through says how
 * many were held back, so nobody is misled by a quiet channel.
 */
export interface RateLimiter {
  /** `{ ok: true, dropped }` with the count dropped since the last one that passed, or `{ ok: false }`. */
  take(channel: string): { ok: true; dropped: number } | { ok: false };
}

export function createRateLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const sent = new Map<string, number[]>();
  const dropped = new Map<string, number>();
  return {
    take(channel) {
      const t = now();
      const recent = (sent.get(channel) ?? []).filter((at) => t - at < options.windowMs);
      if (recent.length >= options.limit) {
        sent.set(channel, recent);
        dropped.set(channel, (dropped.get(channel) ?? 0) + 1);
        return { ok: false };
      }
      recent.push(t);
      sent.set(channel, recent);
      const held = dropped.get(channel) ?? 0;
      dropped.delete(channel);
      return { ok: true, dropped: held };
    },
  };
}
