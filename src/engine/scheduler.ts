/**
 * Timers with jitter: each repo is polled at its interval ±10%; a refresh asked for while a tick
 * runs makes one more tick right after it (requests coalesce).
 */
export interface Ticker {
  /** Tick now (or right after the running tick); resolves when that tick has finished. */
  trigger(): Promise<void>;
  setInterval(ms: number): void;
  stop(): void;
}

export function createTicker(options: {
  intervalMs: number;
  tick: () => Promise<void>;
  random?: () => number;
  onError: (err: unknown) => void;
}): Ticker {
  const random = options.random ?? Math.random;
  let interval = options.intervalMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again: Promise<void> | undefined;

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    const jittered = interval * (0.9 + 0.2 * random());
    timer = setTimeout(() => void run(), jittered);
    timer.unref();
  };

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again ??= running.then(() => {
        again = undefined;
        return run();
      });
      return again;
    }
    clearTimeout(timer);
    running = options
      .tick()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
        schedule();
      });
    return running;
  };

  return {
    trigger: run,
    setInterval(ms) {
      if (ms !== interval) {
        interval = ms;
        if (!running) schedule();
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
