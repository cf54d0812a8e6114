import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { createWriteBack, signingFromEnv, type WriteBackRequest } from '../../src/writeback/index.js';
import { createWriteBackWithHooks } from '../../src/writeback/write-back.js';
import { git } from '../support/git.js';
import { gpgSigner, type Signer, signingToolsMissing, sshSigner } from '../support/signing.js';
import { tempDirs } from '../support/tmp.js';
import { useServedRepos } from './served-repos.js';

/*
 * Issue 19 item 2: Wheelhouse's own write-back commits are signed when a signing key is configured,
 * and the same installation's `source.verify` check accepts them (also after a rebase).
 */
const missing = signingToolsMissing();
const tmp = tempDirs();
const signers: Signer[] = [];
afterAll(async () => {
  for (const s of signers) await s.close();
});

const WEB = 'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: web }\nspec:\n  replicas: 1\n';

function bump(url: string, replicas: number): WriteBackRequest {
  return {
    repo: { url },
    branch: 'main',
    protected: false,
    pushBranch: 'wheelhouse/scale-1',
    author: { name: 'Alice', email: 'alice@example.com' },
    message: { subject: `web: scale to ${replicas}`, trailers: [] },
    async edit(worktree) {
      const file = join(worktree.dir, 'apps/web/web.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/replicas: \d+/, `replicas: ${replicas}`));
      return true;
    },
  };
}

describe.skipIf(missing !== undefined)('signed write-back', () => {
  const repos = useServedRepos(tmp);

  it('signs with a GPG key; the commit, rebased over a competing push, verifies', async () => {
    const wheelhouse = await gpgSigner(await tmp('wh-key'), 'Wheelhouse Bot', 'bot@wheelhouse.test');
    signers.push(wheelhouse);
    const { url, clone } = await repos.served({ 'apps/web/web.yaml': WEB, 'README.md': 'x\n' });
    const writeBack = createWriteBackWithHooks(
      {
        git: repos.source(),
        dataDir: await tmp('wb'),
        log: silentLogger,
        signing: { format: 'openpgp', key: 'bot@wheelhouse.test', gnupgHome: wheelhouse.env.GNUPGHOME ?? '' },
      },
      {
        beforePush: async (attempt) => {
          if (attempt !== 1) return;
          await git(clone, 'pull', '--quiet', '--rebase');
          await writeFile(join(clone, 'README.md'), 'changed meanwhile\n');
          await git(clone, 'commit', '--quiet', '-am', 'competing');
          await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
        },
      },
    );
    const result = await writeBack.commit(bump(url, 3));
    expect(result).toMatchObject({ changed: true, attempts: 2 });
    if (!result.changed) return;
    const source = repos.source();
    await source.fetch({ url });
    const trust = { mode: 'gpg' as const, gpgKeys: [wheelhouse.trust], allowedSigners: '' };
    expect(await source.verifyCommits({ url }, undefined, result.commit, trust)).toEqual({
      ok: true,
      commit: result.commit,
      signer: expect.stringMatching(/^Wheelhouse Bot <bot@wheelhouse\.test> \(GPG [0-9A-F]{40}\)$/),
    });
    // The competing commit under it is not signed: `every` from the base names it.
    const check = await source.verifyCommits({ url }, result.base, result.commit, trust);
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/is not signed$/) });
  });

  it('signs with an SSH key file named by WHEELHOUSE_SIGNING_KEY; without a key commits stay unsigned', async () => {
    const dir = await tmp('wh-ssh');
    const wheelhouse = await sshSigner(dir, 'wheelhouse@example.test');
    const signing = signingFromEnv({
      WHEELHOUSE_SIGNING_KEY: join(dir, 'id_ed25519'),
      WHEELHOUSE_SIGNING_FORMAT: 'ssh',
    });
    expect(signing).toEqual({ format: 'ssh', key: join(dir, 'id_ed25519') });
    const { url } = await repos.served({ 'apps/web/web.yaml': WEB });
    const source = repos.source();
    const trust = { mode: 'ssh' as const, gpgKeys: [], allowedSigners: wheelhouse.trust };

    const signed = await createWriteBack({
      git: source,
      dataDir: await tmp('wb'),
      log: silentLogger,
      ...(signing ? { signing } : {}),
    }).commit(bump(url, 2));
    if (!signed.changed) throw new Error('expected a commit');
    await source.fetch({ url });
    expect(await source.verifyCommits({ url }, undefined, signed.commit, trust)).toMatchObject({
      ok: true,
      signer: expect.stringMatching(/^wheelhouse@example\.test \(SSH SHA256:/),
    });

    const unsigned = await createWriteBack({
      git: source,
      dataDir: await tmp('wb'),
      log: silentLogger,
    }).commit(bump(url, 4));
    if (!unsigned.changed) throw new Error('expected a commit');
    await source.fetch({ url });
    expect(await source.verifyCommits({ url }, undefined, unsigned.commit, trust)).toMatchObject({
      ok: false,
    });
  });

  it('refuses an unknown WHEELHOUSE_SIGNING_FORMAT with the variable to fix', () => {
    expect(() => signingFromEnv({ WHEELHOUSE_SIGNING_KEY: 'k', WHEELHOUSE_SIGNING_FORMAT: 'x509' })).toThrow(
      /WHEELHOUSE_SIGNING_FORMAT is "x509"; set it to openpgp/,
    );
    expect(signingFromEnv({})).toBeUndefined();
  });
});
