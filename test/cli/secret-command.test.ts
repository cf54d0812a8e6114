import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptSopsFiles } from '../../src/render/index.js';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { writeTree } from '../support/git.js';
import { ageKey, sopsBinary, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 19: `wheelhouse secret encrypt|edit` encrypt for the recipients the app holding the file
 * declares (sops.recipients), through the real sops binary; `edit` runs $EDITOR (a script here).
 */
const missing = sopsMissing();
const tmp = tempDirs();

describe.skipIf(missing !== undefined)('wheelhouse secret', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('encrypts for every recipient the app declares, edits through $EDITOR, and says what is missing', async () => {
    const keys = await tmp('keys');
    const wheelhouse = await ageKey(keys, 'wheelhouse');
    const alice = await ageKey(keys, 'alice');
    const repo = await tmp('control');
    await writeTree(repo, {
      'wheelhouse.yaml': `apps:\n  - name: web\n    path: apps/web\n    sops: { recipients: [${wheelhouse.recipient}, ${alice.recipient}] }\n  - { name: api, path: apps/api }\n`,
      'apps/web/secret.yaml': 'password: secret-cli-value\n',
      'apps/api/secret.yaml': 'password: api-value\n',
    });
    const env = cliEnv({ WHEELHOUSE_SOPS: sopsBinary });
    const open = async (file: string, key: string) =>
      decryptSopsFiles([{ path: file, content: await readFile(join(repo, file)) }], {
        binary: sopsBinary,
        env: { SOPS_AGE_KEY_FILE: key },
      });

    const encrypted = await runCli(['secret', 'encrypt', 'apps/web/secret.yaml'], env, repo);
    expect(encrypted.code, encrypted.stderr).toBe(0);
    const text = await readFile(join(repo, 'apps/web/secret.yaml'), 'utf8');
    expect(text).not.toContain('secret-cli-value');
    expect(text).toContain(wheelhouse.recipient);
    expect(text).toContain(alice.recipient);
    // Either key opens it: Wheelhouse's and the person's.
    for (const key of [wheelhouse.file, alice.file]) {
      const opened = await open('apps/web/secret.yaml', key);
      expect(opened.issues).toEqual([]);
      expect(opened.files[0]?.content.toString()).toBe('password: secret-cli-value\n');
    }

    // edit: $EDITOR gets the clear text in a file and its change is encrypted again.
    const editor = join(keys, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i "s/secret-cli-value/edited-cli-value/" "$1"\n');
    await chmod(editor, 0o755);
    const edited = await runCli(
      ['secret', 'edit', 'apps/web/secret.yaml'],
      { ...env, EDITOR: editor, SOPS_AGE_KEY_FILE: alice.file },
      repo,
    );
    expect(edited.code, edited.stderr).toBe(0);
    expect(await readFile(join(repo, 'apps/web/secret.yaml'), 'utf8')).not.toContain('edited-cli-value');
    expect((await open('apps/web/secret.yaml', wheelhouse.file)).files[0]?.content.toString()).toBe(
      'password: edited-cli-value\n',
    );

    // An app without recipients, and a file in no app's path: the reason and the fix.
    const none = await runCli(['secret', 'encrypt', 'apps/api/secret.yaml'], env, repo);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/app api declares no recipients: add `sops: \{ recipients: \[age1…\] \}`/);
    expect(await readFile(join(repo, 'apps/api/secret.yaml'), 'utf8')).toBe('password: api-value\n');
    await writeFile(join(repo, 'loose.yaml'), 'a: b\n');
    const loose = await runCli(['secret', 'encrypt', 'loose.yaml'], env, repo);
    expect(loose.code).toBe(1);
    expect(loose.stderr).toMatch(/no app's path in .* holds loose\.yaml: .*--app <name>/);

    const help = await runCli(['secret', 'edit', '--help'], env, repo);
    expect(help.stdout).toMatch(/\$EDITOR/);
    expect(help.stdout).toMatch(/--app <name>/);
  }, 120_000);
});
