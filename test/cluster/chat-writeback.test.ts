import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { leaseHolders, type Replica, startReplica } from '../support/replicas.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica chat write-back suite: ${missing}`);

const tmp = tempDirs();
const LEASE_SECONDS = 3;
const TEST_TIMEOUT_MS = 240_000;

const webManifest = (out: string, greeting: string) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command:
    - ${process.execPath}
    - -e
    - "require('fs').writeFileSync(process.env.OUT, process.env.GREETING + '|' + (process.env.FOO || '')); setInterval(() => {}, 1000)"
  env:
    OUT: ${out}
    GREETING: ${greeting}
`;

interface AuditRow {
  actor: string;
  action: string;
  app?: string;
  decision?: string;
  result?: string;
  seq: number;
  details?: { phase?: string; requestId?: string; intentSeq?: number };
}

/**
 * Issue 17: replica-a owns nothing (web is pinned to replica-b's host); a person pushes a change
 * to web, replica-b auto-syncs it, and at the same time someone asks replica-a in chat to set an
 * env var on web. Both changes land in Git in that order, replica-b applies the commit holding
 * both, and the shared audit log holds exactly one entry for each action asked.
 */
describe.skipIf(missing !== undefined)('chat on one replica while another auto-syncs the app', () => {
  const postgres = usePostgresCluster();
  const running: Replica[] = [];
  beforeAll(async () => {
    await ensureBuilt();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
  });

  it(
    'lands both changes in Git in order, applies them on the owner, and audits each action once',
    async () => {
      const store = await postgres.createDatabase('chat_writeback');
      // The workload runs as the target's unprivileged user when the tests run as root.
      const outDir = await tmp('out');
      await chmod(outDir, 0o777);
      const out = join(outDir, 'web.out');
      const seed = await tmp('seed');
      await createRepo(seed, {
        'wheelhouse.yaml': `apps:
  - { name: web, path: apps/web, interval: 1s, target: edge }
targets:
  edge: { driver: process, host: replica-b }
`,
        'apps/web/web.yaml': webManifest(out, 'v1'),
      });
      const control = join(await tmp('remote'), 'control.git');
      await git(seed, 'clone', '--quiet', '--bare', seed, control);
      for (const id of ['replica-a', 'replica-b'])
        running.push(await startReplica(tmp, control, store, id, LEASE_SECONDS));
      const [asked, owner] = running as [Replica, Replica];
      await waitFor(
        'web running on replica-b',
        async () =>
          (await leaseHolders(store)).get('web')?.owner === 'replica-b' &&
          (await readFile(out, 'utf8').catch(() => '')) === 'v1|',
        { timeoutMs: 90_000 },
      );

      // A person's change, pushed; replica-b picks it up on its own (auto-sync, 1 s interval).
      const work = await tmp('work');
      await git(work, 'clone', '--quiet', control, '.');
      const pushed = await commitFiles(work, { 'apps/web/web.yaml': webManifest(out, 'v2') }, 'greeting v2');
      await git(work, 'push', '--quiet', 'origin', 'HEAD:main');
      // At once, chat on replica-a, which owns nothing.
      const chat = await asked.cli('chat', 'set env web web FOO=bar');
      expect(chat.code, chat.stdout + chat.stderr).toBe(0);

      const log = (await git(control, 'log', '--format=%H %s', 'main')).split('\n');
      const [tip, previous] = log;
      expect(previous?.startsWith(pushed)).toBe(true);
      expect(tip).toMatch(/FOO/);
      const manifest = await git(control, 'show', 'main:apps/web/web.yaml');
      expect(manifest).toContain('GREETING: v2');
      expect(manifest).toMatch(/FOO: "?bar"?/);

      const head = tip?.split(' ')[0] ?? '';
      await waitFor('replica-b applying the commit with both changes', async () =>
        (await readFile(out, 'utf8').catch(() => '')) === 'v2|bar' ? true : undefined,
      );
      const status = await waitFor('replica-a reporting the head as applied', async () => {
        const result = await asked.cli('status', 'web', '--json');
        const body = JSON.parse(result.stdout || '{}') as { revision?: string; syncStatus?: string };
        return body.revision === head && body.syncStatus === 'Synced' ? body : undefined;
      });
      expect(status.revision).toBe(head);

      // A sync asked of replica-a runs on replica-b; one audit entry for it, one for the set env.
      const sync = await asked.cli('sync', 'web', '--wait');
      expect(sync.code, sync.stdout + sync.stderr).toBe(0);
      const audits = await Promise.all(
        running.map(
          async (r) =>
            JSON.parse((await r.cli('audit', '--app', 'web', '--json')).stdout) as { entries: AuditRow[] },
        ),
      );
      const [seenByA, seenByB] = audits.map((a) => a.entries.filter((e) => e.decision === 'allowed'));
      expect(seenByA).toEqual(seenByB);
      // The chat action is one request: its intent and its outcome (linked by intentSeq), written
      // by the replica that took it; the sync is one entry, though replica-b ran it.
      const set = (seenByA ?? []).filter((e) => e.action === 'command.set');
      expect(set.map((e) => e.details?.phase ?? 'outcome')).toEqual(['intent', 'outcome']);
      expect(new Set(set.map((e) => e.details?.requestId)).size).toBe(1);
      expect(set[1]?.details?.intentSeq).toBe(set[0]?.seq);
      expect(set[1]?.result).toContain(`commit ${head.slice(0, 7)}`);
      expect((seenByA ?? []).filter((e) => e.action.endsWith('sync'))).toHaveLength(1);
      expect(owner.id).toBe('replica-b');
    },
    TEST_TIMEOUT_MS,
  );
});
