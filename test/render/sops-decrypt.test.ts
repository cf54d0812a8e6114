import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/render/compose/env-file.js';
import { decryptSopsFiles, sopsFormat } from '../../src/render/index.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/* Issue 19: dotenv (Compose env_file) and JSON files made by the real sops binary decrypt in memory. */
const missing = sopsMissing();
const tmp = tempDirs();

describe.skipIf(missing !== undefined)('decryptSopsFiles', () => {
  it('decrypts dotenv and JSON files, leaves other files alone and returns the clear values as secrets', async () => {
    const dir = await tmp('sops');
    const key = await ageKey(dir, 'wheelhouse');
    const env = await sopsEncrypt(
      dir,
      'app.env',
      'DB_PASSWORD=correct-horse-battery\nMODE=prod\n',
      key.recipient,
    );
    const json = await sopsEncrypt(dir, 'conf.json', '{"token":"json-secret-value"}\n', key.recipient);
    expect(sopsFormat('apps/web/app.env', env)).toBe('dotenv');
    expect(sopsFormat('apps/web/conf.json', json)).toBe('json');
    const plain = { path: 'apps/web/readme.yaml', content: Buffer.from('sops: just a word\n') };
    const result = await decryptSopsFiles(
      [
        { path: 'apps/web/app.env', content: Buffer.from(env) },
        { path: 'apps/web/conf.json', content: Buffer.from(json) },
        plain,
      ],
      { binary: sopsBinary, env: { SOPS_AGE_KEY_FILE: key.file } },
    );
    expect(result.issues).toEqual([]);
    const [envFile, jsonFile, other] = result.files;
    expect(
      parseEnvFile(envFile?.content.toString('utf8') ?? '').entries.map((e) => [e.key, e.value]),
    ).toEqual([
      ['DB_PASSWORD', 'correct-horse-battery'],
      ['MODE', 'prod'],
    ]);
    expect(JSON.parse(jsonFile?.content.toString('utf8') ?? '{}')).toEqual({ token: 'json-secret-value' });
    expect(other).toBe(plain);
    expect(result.secrets).toEqual(expect.arrayContaining(['correct-horse-battery', 'json-secret-value']));
  });
});
