/**
 * One write-back at a time per repo and branch, in the order they were asked: each starts from
 * the head the previous one pushed, so Wheelhouse never races itself into a rejected push. Other
 * branches and repos run in parallel. A failed job does not stop the ones queued after it.
 */
export function createBranchQueue(): <T>(key: string, job: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, job) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(job, job);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
