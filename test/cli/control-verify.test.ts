import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { cliEnv, runCli } from '../support/cli.js';
import { createRepo } from '../support/git.js';
import { gpgSigner, type Signer, signedCommit, signingToolsMissing } from '../support/signing.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

/*
 * Issue 19: `wheelhouse up --control-gpg-keys` loads only control repo revisions signed by keys on
 * the host; `wheelhouse apps` and `status` say why nothing (or an older revision) is in force.
 */
const missing = signingToolsMissing();
const tmp = tempDirs();

describe.skipIf(missing !== undefined)('wheelhouse up --control-gpg-keys', () => {
  let alice: Signer;
  let keyFile: string;
  let repo: string;
  let server: UpServer | undefined;

  beforeAll(async () => {
    await ensureBuilt();
    alice = await gpgSigner(await tmp('alice'), 'Alice', 'alice@example.test');
    keyFile = join(await tmp('keys'), 'alice.asc');
    await writeFile(keyFile, alice.trust);
    repo = await tmp('control');
    await createRepo(repo, {
      'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n',
      'apps/web/m.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: motd }\nspec: { path: motd.txt, content: hi }\n',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await alice?.close();
  });

  it('refuses a key file it cannot read before starting', async () => {
    const result = await runCli(
      [
        'up',
        '--repo',
        repo,
        '--data',
        await tmp('data'),
        '--port',
        '0',
        '--control-gpg-keys',
        '/nonexistent/alice.asc',
      ],
      cliEnv(),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--control-gpg-keys names /nonexistent/alice.asc, which cannot be read');
  });

  it('serves no apps until a signed revision arrives, then shows the signer', async () => {
    server = await startUp(tmp, repo, ['--log-format', 'json', '--control-gpg-keys', keyFile]);
    const apps = await server.cli('apps');
    expect(apps.code).toBe(1);
    expect(apps.stderr).toMatch(
      /no apps are loaded: wheelhouse\.yaml at [0-9a-f]{7,} is not loaded: commit [0-9a-f]{7,} is not signed/,
    );
    expect(apps.stderr).toContain(`expected a GPG signature by a key in ${keyFile}`);

    const good = await signedCommit(repo, {}, 'signed', alice);
    const listed = await waitFor(
      'the signed revision in force',
      async () => {
        const result = await server?.cli('apps', '--json');
        if (result?.code !== 0) return undefined;
        const body = JSON.parse(result.stdout) as {
          apps: { name: string }[];
          control: { revision?: string; signer?: string };
        };
        return body.control.revision === good ? body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(listed.control.signer).toMatch(/^Alice <alice@example\.test> \(GPG [0-9A-F]{40}\)$/);
    expect(listed.apps.map((a) => a.name)).toEqual(['web']);
  }, 120_000);
});
