import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WheelhouseError } from '../../core/index.js';

/** The demo's web service: replica 0 listens on this port, replica 1 on the next, and so on. */
export const DEFAULT_DEMO_PORT = 7080;

/** The manifest whose ports follow `--demo-port`. */
const WEB_MANIFEST = join('apps', 'web', 'web.yaml');

/** Ports in the manifest are written as a prefix plus the replica index: `708${WHEELHOUSE_REPLICA}`. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder the manifest holds
const REPLICA = '${WHEELHOUSE_REPLICA}';
const PORT_IN_MANIFEST = /(\d+)\$\{WHEELHOUSE_REPLICA\}/g;

/**
 * Reads `--demo-port` / WHEELHOUSE_DEMO_PORT: a port ending in 0 (the demo writes the replica
 * index as its last digit, so replicas 0–9 get N..N+9), from 1020 to 65530.
 */
export function parseDemoPort(value: string | undefined, from: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1020 || port > 65_530 || port % 10 !== 0) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `${from} must be a port ending in 0 from 1020 to 65530 (replica i of the demo's web service listens on port + i), got ${JSON.stringify(value)} — e.g. 7180`,
    );
  }
  return port;
}

/**
 * Writes the demo's web ports into its manifest in the demo repo; returns whether it changed
 * (the caller commits it, so Git stays the truth for the running demo too).
 */
export async function applyDemoPort(repo: string, port: number): Promise<boolean> {
  const file = join(repo, WEB_MANIFEST);
  const text = await readFile(file, 'utf8');
  const prefix = String(port / 10);
  const next = text
    .replace(PORT_IN_MANIFEST, `${prefix}${REPLICA}`)
    .replace(/replica 0 on \d+, replica 1 on \d+/, `replica 0 on ${port}, replica 1 on ${port + 1}`);
  if (next === text) return false;
  await writeFile(file, next);
  return true;
}

/** The port the demo repo's web service is declared on (what `curl` should use). */
export async function demoPortOf(repo: string): Promise<number> {
  const text = await readFile(join(repo, WEB_MANIFEST), 'utf8').catch(() => '');
  const prefix = new RegExp(PORT_IN_MANIFEST.source).exec(text)?.[1];
  return prefix ? Number(prefix) * 10 : DEFAULT_DEMO_PORT;
}
