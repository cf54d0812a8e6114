import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../src/core/index.js';
import { shortSha } from '../../src/util/index.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { gpgSigner, type Signer, signedCommit, signingToolsMissing, sshSigner } from '../support/signing.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 19, the control repo's own commits: `wheelhouse up --control-gpg-keys` /
 * `--control-allowed-signers` give keys on the host (a trust anchor a push cannot change); a
 * wheelhouse.yaml revision not signed by them is not loaded, the one in force stays, and every
 * surface says why. Real git signing (GnuPG keyrings, ssh-keygen -Y).
 */
const missing = signingToolsMissing();
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const config = (apps: string[]) =>
  `apps:\n${apps.map((a) => `  - name: ${a}\n    path: apps/${a}\n`).join('')}`;
const manifest = (app: string) => ({
  [`apps/${app}/m.yaml`]: `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${app} }\nspec: { content: x }\n`,
});

async function signer(make: () => Promise<Signer>): Promise<Signer> {
  const made = await make();
  closers.push(made.close);
  return made;
}

async function start(verify: { mode: 'gpg' | 'ssh'; file: string; commits?: 'tip' | 'every' }) {
  const h = await startHarness(tmp, {
    files: { 'wheelhouse.yaml': config(['web']), ...manifest('web') },
    driver: new FakeDriver('process'),
    kinds: FAKE_KINDS,
    controlVerify: {
      mode: verify.mode,
      gpgKeys: verify.mode === 'gpg' ? [verify.file] : [],
      ...(verify.mode === 'ssh' ? { allowedSigners: verify.file } : {}),
      commits: verify.commits ?? 'tip',
    },
    engine: { controlIntervalMs: 100 },
  });
  closers.push(h.close);
  const events: WheelhouseEvent[] = [];
  h.engine.events.subscribe((e) => events.push(e));
  const loaded = (revision: string) =>
    waitFor(
      `control revision ${shortSha(revision)} in force`,
      () => h.engine.control().revision === revision,
    );
  const refused = (revision: string) =>
    waitFor(`control revision ${shortSha(revision)} refused`, () =>
      h.engine.control().problem?.revision === revision ? h.engine.control().problem : undefined,
    );
  return { h, events, loaded, refused };
}

describe.skipIf(missing !== undefined)('wheelhouse up verifies the control repo', () => {
  it('GPG: loads only signed revisions of wheelhouse.yaml and keeps the last one in force', async () => {
    const alice = await signer(async () => gpgSigner(await tmp('alice'), 'Alice', 'alice@example.test'));
    const mallory = await signer(async () =>
      gpgSigner(await tmp('mallory'), 'Mallory', 'mallory@example.test'),
    );
    const keyFile = join(await tmp('keys'), 'alice.asc');
    await writeFile(keyFile, alice.trust);
    const { h, events, loaded, refused } = await start({ mode: 'gpg', file: keyFile });

    // The first commit is unsigned: no configuration, and the status says which commit and why.
    const first = h.engine.control();
    expect(first.revision).toBeUndefined();
    expect(first.problem?.message).toContain(`wheelhouse.yaml at ${shortSha(h.head)} is not loaded`);
    expect(first.problem?.message).toContain(`commit ${shortSha(h.head)} is not signed`);
    expect(first.problem?.message).toContain(`expected a GPG signature by a key in ${keyFile}`);
    expect(first.problem?.message).toContain('no apps are managed until it is fixed');
    expect(h.engine.apps()).toEqual([]);

    const good = await signedCommit(h.repoDir, {}, 'signed by alice', alice);
    await loaded(good);
    expect(h.engine.control().problem).toBeUndefined();
    expect(h.engine.control().signer).toMatch(/^Alice <alice@example\.test> \(GPG [0-9A-F]{40}\)$/);
    expect(h.engine.apps().map((a) => a.name)).toEqual(['web']);

    // An unsigned commit that adds an app is not loaded; the configuration of `good` stays.
    const unsigned = await signedCommit(
      h.repoDir,
      { 'wheelhouse.yaml': config(['web', 'api']), ...manifest('api') },
      'unsigned',
    );
    const problem = await refused(unsigned);
    expect(problem.message).toContain(`commit ${shortSha(unsigned)} is not signed`);
    expect(problem.message).toContain(`the configuration of ${shortSha(good)} stays in force`);
    expect(h.engine.control().revision).toBe(good);
    expect(h.engine.apps().map((a) => a.name)).toEqual(['web']);
    const told = events.filter((e) => e.type === 'config.invalid' && e.revision === unsigned);
    expect(told).toHaveLength(1);

    // Signed by a key the host does not trust: refused, naming the key.
    const untrusted = await signedCommit(h.repoDir, {}, 'by mallory', mallory);
    expect((await refused(untrusted)).message).toMatch(
      new RegExp(
        `commit ${shortSha(untrusted)} is signed with GPG key [0-9A-F]{16}, which is not among the trusted keys`,
      ),
    );
    // Polling again does not tell it again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(events.filter((e) => e.type === 'config.invalid' && e.revision === untrusted)).toHaveLength(1);

    // Alice signs on top: loaded, with the app the unsigned commit added.
    const next = await signedCommit(h.repoDir, {}, 'alice again', alice);
    await loaded(next);
    expect(
      h.engine
        .apps()
        .map((a) => a.name)
        .sort(),
    ).toEqual(['api', 'web']);
    expect(events.some((e) => e.type === 'config.loaded' && e.revision === next)).toBe(true);
  }, 60_000);

  it('SSH, every commit: a signed tip over an unsigned commit is refused', async () => {
    const bob = await signer(async () => sshSigner(await tmp('bob'), 'bob@example.test'));
    const signers = join(await tmp('keys'), 'allowed_signers');
    await writeFile(signers, bob.trust);
    const { h, loaded, refused } = await start({ mode: 'ssh', file: signers, commits: 'every' });
    const base = await signedCommit(h.repoDir, {}, 'signed base', bob);
    await loaded(base);
    const middle = await signedCommit(
      h.repoDir,
      { 'wheelhouse.yaml': config(['web', 'api']), ...manifest('api') },
      'unsigned middle',
    );
    const tip = await signedCommit(h.repoDir, {}, 'signed tip', bob);
    const problem = await refused(tip);
    expect(problem.message).toContain(`commit ${shortSha(middle)} is not signed`);
    expect(problem.message).toContain('on every commit since the last verified one');
    expect(h.engine.control().revision).toBe(base);
    expect(h.engine.apps().map((a) => a.name)).toEqual(['web']);
  }, 60_000);

  it('a key file that cannot be read names the option to fix', async () => {
    const { h } = await start({ mode: 'gpg', file: '/nonexistent/wheelhouse-test/alice.asc' });
    expect(h.engine.control().problem?.message).toContain(
      'wheelhouse up --control-gpg-keys: cannot read /nonexistent/wheelhouse-test/alice.asc',
    );
  });
});
