import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** The figures of one autocannon run that the scenarios print. */
export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  '3xx'?: number;
  errors: number;
  timeouts: number;
}

/**
 * Runs autocannon in its own process (its CLI, `--json`), so the load generator does not share
 * the event loop of the server it measures: in one process each request is paid for twice.
 */
export function loadFromChild(
  url: string,
  options: { connections: number; seconds: number; headers: Record<string, string> },
): Promise<LoadResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const headerArgs = Object.entries(options.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const args = [
    cli,
    '-j',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    ...headerArgs,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.slice(-500)}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (cause) {
        reject(new Error(`autocannon printed no JSON: ${out.slice(0, 200)}`, { cause }));
      }
    });
  });
}
