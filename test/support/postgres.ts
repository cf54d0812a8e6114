import { afterAll, beforeAll } from 'vitest';
import {
  createDatabaseOn,
  haltServer,
  resumeServer,
  signalServer,
  startCluster,
  stopCluster,
} from './postgres-server.js';

export { POSTGRES_BIN, postgresMissing } from './postgres-server.js';

export interface PostgresCluster {
  /** Creates an empty database and returns its connection URL (loopback only). */
  createDatabase(label: string): Promise<string>;
  /** The URL of the maintenance database `postgres`. */
  adminUrl(): Promise<string>;
  /** Stops the server at once (a crash: connections drop), keeping every database. */
  halt(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** Stops every server process without closing a connection (a frozen host); `thaw` continues them. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster for the calling test file (or describe): initdb into a temp dir
 * owned by `postgres` (initdb refuses root), started on a free loopback port with its socket in
 * the same dir. It starts in beforeAll and is stopped and removed in afterAll, also when tests
 * fail (and, as a last resort, when the worker process exits).
 */
export function usePostgresCluster(): PostgresCluster {
  let started: Promise<{ dir: string; port: number }> | undefined;
  let counter = 0;

  const ensure = () => {
    started ??= startCluster();
    return started;
  };

  // Started before the tests so its start-up time never counts against a test's timeout.
  beforeAll(async () => {
    await ensure();
  });
  afterAll(async () => {
    if (!started) return;
    const cluster = await started.catch(() => undefined);
    if (!cluster) return;
    await signalServer(cluster.dir, 'SIGCONT').catch(() => {}); // a test that failed while frozen
    await stopCluster(cluster.dir);
  });

  return {
    halt: async () => haltServer((await ensure()).dir),
    resume: async () => resumeServer((await ensure()).dir),
    freeze: async () => signalServer((await ensure()).dir, 'SIGSTOP'),
    thaw: async () => signalServer((await ensure()).dir, 'SIGCONT'),
    async adminUrl() {
      const { port } = await ensure();
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    async createDatabase(label) {
      const { port } = await ensure();
      counter += 1;
      const name = `${label
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 40)}_${counter}`;
      return createDatabaseOn(port, name);
    },
  };
}
