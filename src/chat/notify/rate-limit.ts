import { createRateLimiter as createLimiter } from '../../util/index.js';

/**
 * A per-channel limit on notifications: `limit` at once, then `limit` per `windowMs` (util's
 * rate limiter, one bucket per channel). Messages over the limit are dropped and counted; the
 * next message that gets through says how many were held back, so nobody is misled by a quiet
 * channel.
 */
export interface NotificationLimiter {
  /** `{ ok: true, dropped }` with the count dropped since the last one that passed, or `{ ok: false }`. */
  take(channel: string): { ok: true; dropped: number } | { ok: false };
}

export function createNotificationLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): NotificationLimiter {
  const limiter = createLimiter({
    capacity: options.limit,
    refillMs: options.windowMs / Math.max(1, options.limit),
    ...(options.now ? { now: options.now } : {}),
  });
  const dropped = new Map<string, number>();
  return {
    take(channel) {
      if (limiter.take(channel) > 0) {
        dropped.set(channel, (dropped.get(channel) ?? 0) + 1);
        return { ok: false };
      }
      const held = dropped.get(channel) ?? 0;
      dropped.delete(channel);
      return { ok: true, dropped: held };
    },
  };
}
