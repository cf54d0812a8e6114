import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN_FILE } from '../../src/server/admin-token.js';
import { freePort } from '../../test/support/ports.js';

const BIN = fileURLToPath(new URL('../../../bin/wheelhouse.js', import.meta.url));

/** One `wheelhouse up` replica of a bench, a child process on a shared PostgreSQL store. */
export interface BenchReplica {
  id: string;
  data: string;
  url: string;
  child: ChildProcess;
  /** The admin token the replica wrote into its data dir. */
  token(): Promise<string>;
}

/** Starts `wheelhouse up` on the shared store; resolves once its API listens. */
export async function startBenchReplica(
  repo: string,
  data: string,
  store: string,
  id: string,
  options: { leaseSeconds: number; env?: Record<string, string> },
): Promise<BenchReplica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      BIN,
      'up',
      '--repo',
      repo,
      '--data',
      data,
      '--port',
      String(port),
      '--store',
      store,
      '--replica-id',
      id,
    ].concat(['--lease-seconds', String(options.leaseSeconds), '--log-format', 'json']),
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...options.env } },
  );
  const url = `http://127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      if (seen.includes('API at ')) return;
      seen += chunk.toString();
      if (seen.includes('API at '))
        resolve({
          id,
          data,
          url,
          child,
          token: async () => (await readFile(join(data, ADMIN_TOKEN_FILE), 'utf8')).trim(),
        });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`replica ${id} exited (${code}) before its API listened: ${seen.slice(-500)}`)),
    );
  });
}

/** Stops replicas (SIGTERM) and waits for them to exit. */
export async function stopBenchReplicas(replicas: readonly BenchReplica[]): Promise<void> {
  for (const r of replicas) r.child.kill('SIGTERM');
  await Promise.all(
    replicas.map(
      (r) =>
        new Promise((resolve) => (r.child.exitCode !== null ? resolve(null) : r.child.once('exit', resolve))),
    ),
  );
}

/** Polls until `probe` holds; returns ms since `since`. */
export async function until(
  since: number,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<number> {
  for (;;) {
    if (await probe()) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
