import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerProcess } from './server-process.js';

/**
 * Polls `probe` until it returns true. Fails at once when any of `servers` exits, and after
 * `timeoutMs` otherwise; either error names what was awaited and ends with the log tail of the
 * server that exited (or of `server`, the one expected to make the probe pass).
 */
export async function waitUntilReady(
  server: ServerProcess,
  servers: readonly ServerProcess[],
  probe: () => Promise<boolean>,
  what = `${server.name} ready`,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const dead = servers.find((s) => s.exitStatus() !== undefined);
    if (dead) throw await failure(dead, `${dead.name} ${dead.exitStatus()} while waiting for ${what}`);
    try {
      if (await probe()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const last = lastError ? ` (last probe error: ${String(lastError)})` : '';
      throw await failure(server, `timed out after ${timeoutMs / 1000} s waiting for ${what}${last}`);
    }
    await sleep(100);
  }
}

async function failure(server: ServerProcess, message: string): Promise<Error> {
  return new Error(`${message}\n--- last lines of ${server.log} ---\n${await server.tail()}`);
}
