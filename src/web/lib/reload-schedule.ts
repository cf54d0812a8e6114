/** How reloads asked for by live events are spaced (see `createReloadSchedule`). */
export interface ReloadPolicy {
  /** Wait for the events to pause this long... */
  quietMs: number;
  /** ...but no longer than this after the first event that asked. */
  maxWaitMs: number;
  /** A reload begins no sooner than this after the previous one began. */
  minGapMs: number;
}

/** The dashboard's pages: about one request a second per open page while events keep coming. */
export const LIVE_RELOAD: ReloadPolicy = { quietMs: 200, maxWaitMs: 1_000, minGapMs: 1_000 };

/**
 * Coalesces the reloads live events ask for. A reload runs once the events have paused for
 * `quietMs`, but at most `maxWaitMs` after the first event that asked (a steady stream of events,
 * 1,000 apps syncing, does not hold the page's data back until it ends), never sooner than
 * `minGapMs` after the previous reload began (events a few hundred milliseconds apart do not cost
 * one request each, from every open dashboard), and never two at once: asked while one runs, one
 * more runs after it. `run` reports its own errors; a rejection only ends that reload.
 */
export function createReloadSchedule(
  run: () => Promise<unknown>,
  policy: ReloadPolicy = LIVE_RELOAD,
  clock: () => number = () => Date.now(),
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAsked: number | undefined;
  let lastStarted = Number.NEGATIVE_INFINITY;
  let running = false;
  let askedWhileRunning = false;

  const fire = (): void => {
    timer = undefined;
    firstAsked = undefined;
    if (running) {
      askedWhileRunning = true;
      return;
    }
    running = true;
    lastStarted = clock();
    run()
      .catch(() => {})
      .finally(() => {
        running = false;
        if (askedWhileRunning) {
          askedWhileRunning = false;
          ask();
        }
      });
  };

  function ask(): void {
    const now = clock();
    firstAsked ??= now;
    if (timer !== undefined) clearTimeout(timer);
    const due = Math.max(
      lastStarted + policy.minGapMs,
      Math.min(now + policy.quietMs, firstAsked + policy.maxWaitMs),
    );
    timer = setTimeout(fire, Math.max(0, due - now));
  }

  return {
    ask,
    /** Drops a reload that is waiting (the page went away or shows something else now). */
    cancel(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      firstAsked = undefined;
      askedWhileRunning = false;
    },
  };
}
