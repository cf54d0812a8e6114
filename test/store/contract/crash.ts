import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawSql, type StoreHarness, useStores } from './harness.js';

const writer = fileURLToPath(new URL('../fixtures/crash-writer.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts the writer, waits until it reports `rounds` finished rounds, then SIGKILLs it mid-loop. */
async function crashWriter(url: string, rounds: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, url], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let done = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) if (line) done = Math.max(done, Number(line));
        if (done >= rounds) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`writer exited early (${code}): ${stderr.slice(-2000)}`)),
      );
      child.once('error', reject);
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
  return done;
}

export function crashContract(h: StoreHarness): void {
  describe('crash safety', () => {
    const open = useStores();

    it('a writer killed mid-loop leaves a consistent database and a valid audit chain', async () => {
      const url = await h.freshUrl('crash');
      const acknowledged = await crashWriter(url, 40);

      const store = await open(url);
      const verification = await store.verifyAudit();
      expect(verification.ok).toBe(true);
      // Every round the writer reported is in the chain; at most a part of the next one may be.
      expect(verification.checked).toBeGreaterThanOrEqual(acknowledged);
      expect(verification.checked).toBeLessThanOrEqual(acknowledged + 1);

      const syncs = await store.listSyncs('crash', { limit: 1000 });
      expect(syncs.length).toBeGreaterThanOrEqual(acknowledged);
      const running = syncs.filter((s) => s.result === 'running');
      expect(running.length).toBeLessThanOrEqual(1);
      for (const sync of syncs) expect(sync.messages[0]).toHaveLength(2_000);
      const state = await store.getAppState('crash');
      expect(Number(state?.lastGoodRevision?.slice('rev-'.length))).toBeGreaterThanOrEqual(acknowledged);

      // The store keeps working where the writer stopped.
      const next = await store.appendAudit({ actor: 'cli:after', action: 'after.crash' });
      expect(next.seq).toBe(verification.checked + 1);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: verification.checked + 1 });
      if (h.dialect === 'sqlite') {
        expect(await rawSql(url, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      }
    });
  });
}
