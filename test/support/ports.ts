import { createServer } from 'node:net';

/** Whether 127.0.0.1:port can be bound right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1 (the OS picks it; bind it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A four-digit prefix P such that ports P0..P9 are free: for replicas listening on
 * `P${WHEELHOUSE_REPLICA}`.
 */
export async function freePortPrefix(): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const prefix = 2000 + Math.floor(Math.random() * 4500);
    let free = true;
    for (let i = 0; i < 10 && free; i++) free = await portIsFree(prefix * 10 + i);
    if (free) return String(prefix);
  }
  throw new Error('no block of ten free ports found on 127.0.0.1');
}
