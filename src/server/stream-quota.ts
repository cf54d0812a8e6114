import { WheelhouseError } from '../core/index.js';

/** Limits on open streams: per user and in all. */
export interface StreamQuotaLimits {
  perUser: number;
  total: number;
}

/** Counts open streams; `acquire` refuses past a limit. */
export interface StreamQuota {
  /**
   * Takes one slot for `user`, or throws RATE_LIMITED (429) naming the limit that was reached.
   * The returned release is idempotent.
   */
  acquire(user: string): () => void;
  readonly open: number;
}

/** A quota of `what` streams (e.g. `log`), with the setting that raises each limit named in refusals. */
export function createStreamQuota(
  what: string,
  limits: StreamQuotaLimits,
  settings: { perUser: string; total: string },
): StreamQuota {
  const byUser = new Map<string, number>();
  let open = 0;
  return {
    acquire(user) {
      const mine = byUser.get(user) ?? 0;
      if (mine >= limits.perUser) {
        throw new WheelhouseError(
          'RATE_LIMITED',
          `${user} already has ${mine} ${what} streams open, the most one user may hold (an operator raises it with ${settings.perUser}); close one (stop a \`wheelhouse logs -f\`, or a dashboard tab) and try again`,
        );
      }
      if (open >= limits.total) {
        throw new WheelhouseError(
          'RATE_LIMITED',
          `the server already serves ${open} ${what} streams, the most it holds at once (an operator raises it with ${settings.total}); try again when some have ended, or read the tail without follow`,
        );
      }
      byUser.set(user, mine + 1);
      open++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
        const left = (byUser.get(user) ?? 1) - 1;
        if (left > 0) byUser.set(user, left);
        else byUser.delete(user);
      };
    },
    get open() {
      return open;
    },
  };
}
