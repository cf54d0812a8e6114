// Issue 19, keys: `wheelhouse up --sops-age-key-file <file>` (default SOPS_AGE_KEY_FILE) checks
// the age key file before the engine starts, and the path it returns is the one sops decrypts with.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSopsAgeKeyFile } from '../../src/cli/up/sops-key.js';
import { decryptSopsFiles } from '../../src/render/index.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();

describe.skipIf(sopsMissing() !== undefined)('the SOPS age key file option', () => {
  it('takes a real age key file (relative to the working dir) and sops decrypts with it', async () => {
    const keys = await tmp('keys');
    const key = await ageKey(keys, 'wheelhouse');
    const file = await checkSopsAgeKeyFile('wheelhouse.txt', '--sops-age-key-file', keys);
    expect(file).toBe(key.file);

    const work = await tmp('work');
    const encrypted = await sopsEncrypt(work, 'db.env', 'PASSWORD=hunter2-keyfile\n', key.recipient);
    expect(encrypted).not.toContain('hunter2');
    const out = await decryptSopsFiles([{ path: 'apps/db/db.env', content: Buffer.from(encrypted) }], {
      binary: sopsBinary,
      env: { SOPS_AGE_KEY_FILE: file },
    });
    expect(out.issues).toEqual([]);
    expect(out.files[0]?.content.toString()).toBe('PASSWORD=hunter2-keyfile\n');
    expect(out.secrets).toEqual(['hunter2-keyfile']);
  });

  it('refuses a missing file and a file without an identity, naming the option, the file and the fix', async () => {
    const dir = await tmp('keys');
    await expect(checkSopsAgeKeyFile('absent.txt', '--sops-age-key-file', dir)).rejects.toThrow(
      new RegExp(
        `^--sops-age-key-file names ${join(dir, 'absent.txt')}, which cannot be read \\(.*ENOENT.*\\): give the path of an age key file made by \`age-keygen -o <file>\``,
      ),
    );
    const key = await ageKey(dir, 'wheelhouse');
    const publicOnly = join(dir, 'recipient.txt');
    await writeFile(publicOnly, `${key.recipient}\n`);
    await expect(checkSopsAgeKeyFile(publicOnly, 'SOPS_AGE_KEY_FILE', dir)).rejects.toThrow(
      /^SOPS_AGE_KEY_FILE names .*recipient\.txt, which holds no age identity \(no AGE-SECRET-KEY-1… line\): give the key file/,
    );
  });
});
