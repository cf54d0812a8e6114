import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from './client.js';

/** How long a kind's storage may take to come up after its CRD is Established. */
const WARMUP_MS = 30_000;
const RETRY_MS = 200;

/**
 * The API server serves a CRD's kind (Established) a moment before its storage is ready: lists,
 * watches and applies of the kind then fail with "storage is (re)initializing". Runs `call` again
 * while that lasts, bounded; any other failure, or the same one past the bound, is thrown.
 */
export async function whileStorageWarmsUp<T>(
  call: () => Promise<T>,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<T> {
  const deadline = now() + WARMUP_MS;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isWarmingUp(err) || now() >= deadline || signal?.aborted) throw err;
    }
    await sleep(RETRY_MS, undefined, signal ? { signal } : {});
  }
}

function isWarmingUp(err: unknown): boolean {
  return err instanceof KubeApiError && /storage is \(re\)initializing/.test(err.message);
}
