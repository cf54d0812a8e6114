/**
 * Work started and not yet settled (chat requests handled after their acknowledgement), so that
 * `stop()` and tests can wait until all of it, including work started meanwhile, has ended.
 */
export interface InFlight {
  /** Tracks `work` until it settles and returns it as it is (a rejection stays the caller's). */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when nothing tracked is running. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      const forget = () => {
        running.delete(work);
      };
      work.then(forget, forget);
      return work;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
