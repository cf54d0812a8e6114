import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../src/core/index.js';
import { shortSha } from '../../src/util/index.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { gpgSigner, type Signer, signedCommit, signingToolsMissing, sshSigner } from '../support/signing.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 19, commit signatures: `source.verify` with real `git` signing — GPG keys in throwaway
 * keyrings and SSH keys through `ssh-keygen -Y` — a good tip, an unsigned tip, a tip signed by an
 * untrusted key, and a good tip over an unsigned middle commit in `every` mode.
 */
const missing = signingToolsMissing();
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const manifest = (app: string, content: string) => ({
  [`apps/${app}/m.yaml`]: `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${app} }\nspec: { content: ${content} }\n`,
});

async function signer(make: () => Promise<Signer>): Promise<Signer> {
  const made = await make();
  closers.push(made.close);
  return made;
}

/** An engine whose apps verify signatures; the first commit (keys and config) is unsigned. */
async function start(verify: Record<string, string>, trust: Record<string, string>) {
  const apps = Object.entries(verify)
    .map(([app, v]) => `  - name: ${app}\n    path: apps/${app}\n    source:\n      verify: ${v}\n`)
    .join('');
  const files = Object.assign(
    { 'wheelhouse.yaml': `apps:\n${apps}`, ...trust },
    ...Object.keys(verify).map((app) => manifest(app, 'v0')),
  );
  const h = await startHarness(tmp, { files, driver: new FakeDriver('process'), kinds: FAKE_KINDS });
  closers.push(h.close);
  const events: WheelhouseEvent[] = [];
  h.engine.events.subscribe((e) => events.push(e));
  const first = Object.keys(verify)[0] ?? '';
  const commit = async (files: Record<string, string>, by?: Signer) => {
    const sha = await signedCommit(h.repoDir, files, 'change', by);
    await h.engine.refresh(first);
    await h.engine.settled();
    return sha;
  };
  return { h, events, commit };
}

describe.skipIf(missing !== undefined)('source.verify: only signed revisions are applied', () => {
  it('GPG: applies a tip signed by a trusted key, refuses unsigned and untrusted tips and stays put', async () => {
    const alice = await signer(async () => gpgSigner(await tmp('alice'), 'Alice', 'alice@example.test'));
    const mallory = await signer(async () =>
      gpgSigner(await tmp('mallory'), 'Mallory', 'mallory@example.test'),
    );
    const { h, events, commit } = await start(
      { web: '{ mode: gpg, gpgKeys: [keys/alice.asc] }' },
      { 'keys/alice.asc': alice.trust },
    );

    // The first commit is unsigned: nothing is applied, and status says why.
    let status = h.engine.status('web');
    expect(status.revision).toBeUndefined();
    expect(status.lastError?.code).toBe('SIGNATURE_REFUSED');
    expect(status.lastError?.message).toContain(`revision ${shortSha(h.head)} of app web is not applied`);
    expect(status.lastError?.message).toContain(`commit ${shortSha(h.head)} is not signed`);
    expect(status.lastError?.message).toContain('expected a GPG signature by a key in keys/alice.asc');
    expect(status.lastError?.message).toContain(
      'nothing of web is applied until a verified revision arrives',
    );

    const good = await commit(manifest('web', 'v1'), alice);
    status = h.engine.status('web');
    expect(status.revision).toBe(good);
    expect(status.lastError).toBeUndefined();
    expect(status.verified?.revision).toBe(good);
    expect(status.verified?.signer).toMatch(/^Alice <alice@example\.test> \(GPG [0-9A-F]{40}\)$/);
    const [record] = await h.store.listSyncs('web', { limit: 1 });
    expect(record?.revision).toBe(good);
    expect(record?.messages).toContain(`signature verified: signed by ${status.verified?.signer}`);

    const unsigned = await commit(manifest('web', 'v2'));
    status = h.engine.status('web');
    expect(status.revision).toBe(good);
    expect(status.verified?.revision).toBe(good);
    expect(status.lastError?.message).toContain(`commit ${shortSha(unsigned)} is not signed`);
    expect(status.lastError?.message).toContain(`web stays on ${shortSha(good)}, the last verified revision`);
    const refused = events.filter((e) => e.type === 'signature.refused');
    expect(refused.map((e) => e.type === 'signature.refused' && e.revision)).toEqual([unsigned]);

    // Polling again does not tell it again.
    await h.refresh('web');
    expect(events.filter((e) => e.type === 'signature.refused')).toHaveLength(1);

    const untrusted = await commit(manifest('web', 'v3'), mallory);
    status = h.engine.status('web');
    expect(status.revision).toBe(good);
    expect(status.lastError?.message).toMatch(
      new RegExp(
        `commit ${shortSha(untrusted)} is signed with GPG key [0-9A-F]{16}, which is not among the trusted keys`,
      ),
    );

    // A manual sync cannot go around it: it syncs to the last verified revision; a sync to the
    // refused sha fails and says why.
    const manual = await (await h.engine.sync('web', { actor: 'web:alice' })).done;
    expect([manual.result, manual.revision]).toEqual(['succeeded', good]);
    const pinned = await (await h.engine.sync('web', { actor: 'web:alice', revision: untrusted })).done;
    expect(pinned.result).toBe('failed');
    expect(pinned.messages.join('\n')).toMatch(/is not among the trusted keys/);
    expect(h.engine.status('web').revision).toBe(good);

    const fixed = await commit(manifest('web', 'v4'), alice);
    expect(h.engine.status('web').revision).toBe(fixed);
    expect(h.engine.status('web').lastError).toBeUndefined();
  });

  it('SSH: applies a tip signed by an allowed signer and refuses another SSH key', async () => {
    const bob = await signer(async () => sshSigner(await tmp('bob'), 'bob@example.test'));
    const eve = await signer(async () => sshSigner(await tmp('eve'), 'eve@example.test'));
    const { h, commit } = await start(
      { web: '{ mode: ssh, allowedSigners: trust/allowed_signers }' },
      { 'trust/allowed_signers': bob.trust },
    );
    const good = await commit(manifest('web', 'v1'), bob);
    expect(h.engine.status('web').revision).toBe(good);
    expect(h.engine.status('web').verified?.signer).toMatch(/^bob@example\.test \(SSH SHA256:\S+\)$/);

    const untrusted = await commit(manifest('web', 'v2'), eve);
    const status = h.engine.status('web');
    expect(status.revision).toBe(good);
    expect(status.lastError?.message).toMatch(
      new RegExp(
        `commit ${shortSha(untrusted)} is signed with SSH key SHA256:\\S+, which is not in the trusted allowed-signers file`,
      ),
    );
    expect(status.lastError?.message).toContain(
      'expected an SSH signature by a key in trust/allowed_signers',
    );
  });

  it('mode any with keys by absolute path; `every` refuses a good tip over an unsigned middle commit, `tip` takes it', async () => {
    const alice = await signer(async () => gpgSigner(await tmp('alice'), 'Alice', 'alice@example.test'));
    const bob = await signer(async () => sshSigner(await tmp('bob'), 'bob@example.test'));
    const keys = await tmp('keys');
    await writeFile(join(keys, 'alice.asc'), alice.trust);
    const any = `mode: any, gpgKeys: [${join(keys, 'alice.asc')}], allowedSigners: trust/allowed_signers`;
    const { h, commit } = await start(
      { every: `{ ${any}, commits: every }`, tip: `{ ${any} }` },
      { 'trust/allowed_signers': bob.trust },
    );
    const first = await commit({ ...manifest('every', 'v1'), ...manifest('tip', 'v1') }, alice);
    expect(h.engine.status('every').revision).toBe(first);
    expect(h.engine.status('tip').revision).toBe(first);

    const middle = await commit({ ...manifest('every', 'v2'), ...manifest('tip', 'v2') });
    const tip = await commit({ ...manifest('every', 'v3'), ...manifest('tip', 'v3') }, bob);
    expect(h.engine.status('tip').revision).toBe(tip);
    expect(h.engine.status('tip').verified?.signer).toMatch(/^bob@example\.test/);
    const every = h.engine.status('every');
    expect(every.revision).toBe(first);
    expect(every.lastError?.message).toContain(`revision ${shortSha(tip)} of app every is not applied`);
    expect(every.lastError?.message).toContain(`commit ${shortSha(middle)} is not signed`);
    expect(every.lastError?.message).toContain('on every commit since the last verified one');
  });
});
