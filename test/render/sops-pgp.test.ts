import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptSopsFiles } from '../../src/render/index.js';
import { signingToolsMissing } from '../support/signing.js';
import { sopsBinary, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 19, keys: a file SOPS encrypted for a PGP key decrypts with the GnuPG keyring GNUPGHOME
 * names, and fails naming sops's reason when the keyring holds no key that opens it.
 */
const run = promisify(execFile);
const tmp = tempDirs();
const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) {
    await run('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } }).catch(
      () => undefined,
    );
  }
});

async function keyring(dir: string, email?: string): Promise<{ home: string; fingerprint?: string }> {
  const home = join(dir, 'gnupg');
  await mkdir(home, { recursive: true, mode: 0o700 });
  homes.push(home);
  if (!email) return { home };
  const env = { ...process.env, GNUPGHOME: home };
  await run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', email, 'default', 'default', 'never'], {
    env,
  });
  const { stdout } = await run('gpg', ['--batch', '--with-colons', '--list-keys', email], { env });
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(stdout)?.[1];
  return fingerprint ? { home, fingerprint } : { home };
}

const missing = sopsMissing() ?? signingToolsMissing();

describe.skipIf(missing !== undefined)('SOPS files encrypted for PGP', () => {
  it('decrypt with the keyring GNUPGHOME names and fail with the reason without it', async () => {
    const wheelhouse = await keyring(await tmp('wh'), 'wheelhouse@example.test');
    expect(wheelhouse.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const work = await tmp('work');
    await writeFile(join(work, 'db.env'), 'PASSWORD=hunter2-pgp\n');
    const { stdout: encrypted } = await run(
      sopsBinary,
      ['encrypt', '--pgp', wheelhouse.fingerprint ?? '', join(work, 'db.env')],
      { env: { ...process.env, GNUPGHOME: wheelhouse.home, SOPS_DISABLE_VERSION_CHECK: '1' } },
    );
    expect(encrypted).toContain('sops_pgp__list_0__map_fp=');
    expect(encrypted).not.toContain('hunter2');
    const file = { path: 'apps/db/db.env', content: Buffer.from(encrypted) };

    const opened = await decryptSopsFiles([file], {
      binary: sopsBinary,
      env: { GNUPGHOME: wheelhouse.home },
    });
    expect(opened.issues).toEqual([]);
    expect(opened.files[0]?.content.toString()).toBe('PASSWORD=hunter2-pgp\n');
    expect(opened.secrets).toEqual(['hunter2-pgp']);

    // A keyring without Wheelhouse's key: the render fails on this file, with sops's reason.
    const empty = await keyring(await tmp('empty'));
    const refused = await decryptSopsFiles([file], { binary: sopsBinary, env: { GNUPGHOME: empty.home } });
    expect(refused.files).toEqual([]);
    expect(refused.issues).toHaveLength(1);
    expect(refused.issues[0]?.file).toBe('apps/db/db.env');
    expect(refused.issues[0]?.message).toMatch(
      /^cannot decrypt this SOPS file: .*No secret key.*; the GnuPG keyring GNUPGHOME names holds no secret key of the file's PGP recipients: import/,
    );
    expect(refused.issues[0]?.message).not.toMatch(/SOPS_AGE_KEY_FILE/);
    expect(refused.issues[0]?.message).not.toContain('hunter2');
  });
});
