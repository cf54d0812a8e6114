import { type BuildHandle, type BuildState, type CiClient, FINAL_PHASES } from './types.js';

export interface FollowOptions {
  /** Between two looks at the build. */
  pollMs: number;
  /** Give up following after this long (the build keeps running); default: no bound. */
  timeoutMs?: number;
  /** Console lines kept when it fails. */
  tailLines?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

export interface Followed {
  state: BuildState;
  /** Not final: following stopped at the timeout or on abort. */
  timedOut: boolean;
  /** The last console lines, when it failed. */
  console: string[];
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Watch a build until it ends: every change of phase or step is reported once (queued ->
 * running, stage by stage -> success/failure/cancelled), and a failure comes back with the last
 * lines of its console. A look that fails (the server briefly away) is retried at the next tick.
 */
export async function followBuild(
  client: CiClient,
  handle: BuildHandle,
  report: (state: BuildState) => void,
  options: FollowOptions,
): Promise<Followed> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeoutMs;
  let last = '';
  let state: BuildState = { phase: 'queued' };
  let failures = 0;
  for (;;) {
    try {
      state = await client.state(handle);
      failures = 0;
    } catch (err) {
      // Three misses in a row: the server is away for good; say so rather than wait forever.
      if (++failures >= 3) throw err;
    }
    const key = `${state.phase}|${state.step ?? ''}|${state.url ?? ''}`;
    if (key !== last) {
      last = key;
      report(state);
    }
    if (FINAL_PHASES.includes(state.phase)) break;
    if (now() >= deadline || options.signal?.aborted) return { state, timedOut: true, console: [] };
    await sleep(options.pollMs);
  }
  const console =
    state.phase === 'failure'
      ? await client.consoleTail(handle, options.tailLines ?? 20).catch(() => [])
      : [];
  return { state, timedOut: false, console };
}
