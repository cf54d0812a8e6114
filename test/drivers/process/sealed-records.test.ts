import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import {
  applyContext,
  capturingLogger,
  desired,
  getJson,
  processDrivers,
  replicasOf,
  supervisorPasses,
  writePrograms,
} from './support.js';

/*
 * Issue 19: values decrypted from SOPS files are never written to disk in clear. The process
 * driver records what it runs (to adopt it after a restart); the engine's secret values are
 * sealed in those records and put back once the engine knows them again.
 */
const tmp = tempDirs();
const makeDriver = processDrivers();
const TOKEN = 'sops-clear-token-7f3a9c';
const FILE_SECRET = 'sops-clear-file-content-41d2';
const CONTENT = `password=${FILE_SECRET}`;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function recordsOf(stateDir: string): Promise<string> {
  const dir = join(stateDir, 'resources');
  // One JSON file per Process, and the journal of File records (one JSON line each).
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') || n === 'files.jsonl');
  expect(names).toContain('files.jsonl');
  return (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('\n');
}

describe('SOPS values in the process driver records', () => {
  it('seals them on disk, runs with them, and after a restart waits for the engine before restarting', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const root = await tmp('root');
    const known = new Set([TOKEN, FILE_SECRET]);
    const first = makeDriver({ stateDir, options: { root }, secretValues: () => known });
    await first.start();
    const port = await freePort();
    const web = desired('Process', 'web', {
      command: [process.execPath, 'server.cjs'],
      env: { PORT: String(port), API_TOKEN: TOKEN },
      health: { http: { url: `http://127.0.0.1:${port}/healthz` }, periodSeconds: 0.5 },
    });
    const file = desired('File', 'conf', { path: 'app/conf.ini', content: CONTENT });
    await first.apply(web, applyContext(checkout).ctx);
    await first.apply(file, applyContext(checkout).ctx);

    // The workload and the file get the clear values; the records hold only marks.
    expect((await getJson(`http://127.0.0.1:${port}/info`)).secretSha).toBe(sha(TOKEN));
    expect(await readFile(join(root, 'app/conf.ini'), 'utf8')).toBe(CONTENT);
    const records = await recordsOf(stateDir);
    expect(records).not.toContain(TOKEN);
    expect(records).not.toContain(FILE_SECRET);
    expect(records).toMatch(/"API_TOKEN": "\{\{wheelhouse-sealed:[0-9a-f]{32}\}\}"/);
    expect(records).toMatch(/"content":"password=\{\{wheelhouse-sealed:[0-9a-f]{32}\}\}"/);
    expect((await stat(join(stateDir, 'seal.key'))).mode & 0o777).toBe(0o600);
    // What the engine diffs against is the clear spec.
    const live = (await first.observe('shop')).find((r) => r.key === web.key);
    expect((live?.spec as { env?: Record<string, string> } | undefined)?.env?.API_TOKEN).toBe(TOKEN);
    await first.stop(); // leaves the process running, as `wheelhouse up` does on Ctrl-C

    // A restarted server: the engine has not decrypted anything yet.
    const later = new Set<string>();
    const { log, lines } = capturingLogger();
    const second = makeDriver({ stateDir, options: { root }, log, secretValues: () => later });
    await second.start();
    const [adopted] = await replicasOf(second, web.key);
    expect(adopted?.running).toBe(true);
    await fetch(`http://127.0.0.1:${port}/crash?code=3`);
    await waitFor('the warning that the restart waits for the secrets', () =>
      lines.some((l) => l.startsWith('warn') && l.includes('decrypted the SOPS values')),
    );
    await supervisorPasses(lines, 3);
    const [held] = await replicasOf(second, web.key);
    expect(held?.running).toBe(false);
    expect(held?.restarts).toBe(adopted?.restarts);

    // The engine decrypts the app again: the replica restarts with the clear value.
    for (const value of known) later.add(value);
    const restarted = await waitFor('the replica restarted with its secret', async () => {
      const [r] = await replicasOf(second, web.key);
      if (!r?.running || r.health !== 'Healthy') return undefined;
      return getJson(`http://127.0.0.1:${port}/info`).catch(() => undefined);
    });
    expect(restarted.secretSha).toBe(sha(TOKEN));
    const file2 = (await second.observe('shop')).find((r) => r.key === file.key);
    expect((file2?.spec as { content?: string } | undefined)?.content).toBe(CONTENT);
    expect(await recordsOf(stateDir)).not.toContain(TOKEN);
  }, 60_000);
});
