import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, WheelhouseError } from '../../src/core/index.js';
import { createGitSource, ensureSshWrapper } from '../../src/source/git/index.js';
import { captureLogger } from '../support/capture-logger.js';
import { createRepo } from '../support/git.js';
import { publish } from '../support/git-history.js';
import { type SshServer, sshdUnavailable, startSshd } from '../support/sshd.js';
import { tempDirs } from '../support/tmp.js';

const run = promisify(execFile);
const tmp = tempDirs(); // vitest helper, not a React hook

async function caught(promise: Promise<unknown>): Promise<WheelhouseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WheelhouseError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('the GIT_SSH wrapper', () => {
  it('passes key and known_hosts paths through quoted, with strict host checking and batch mode', async () => {
    const dir = await tmp('wrapper');
    const wrapper = await ensureSshWrapper(join(dir, 'ssh'));
    // A stand-in `ssh` that prints its arguments one per line.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'ssh'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    await chmod(join(bin, 'ssh'), 0o755);
    const key = '/keys/with space/$(touch pwned)/id';
    const known = '/hosts/it`s here/known hosts';
    const { stdout } = await run(
      wrapper,
      ['-p', '2222', 'git@example.com', "git-upload-pack 'team/web.git'"],
      {
        env: { PATH: `${bin}:/usr/bin:/bin`, WHEELHOUSE_SSH_KEY: key, WHEELHOUSE_SSH_KNOWN_HOSTS: known },
      },
    );
    const args = stdout.split('\n').filter((l) => l !== '');
    expect(args).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'PasswordAuthentication=no',
      '-o',
      'KbdInteractiveAuthentication=no',
      '-i',
      key,
      '-o',
      `UserKnownHostsFile="${known}"`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-p',
      '2222',
      'git@example.com',
      "git-upload-pack 'team/web.git'",
    ]);
    // Without the variables only the fixed options are added.
    const plain = await run(wrapper, ['host', 'cmd'], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(
      plain.stdout
        .split('\n')
        .filter((l) => l !== '')
        .slice(-2),
    ).toEqual(['host', 'cmd']);
    expect(plain.stdout).not.toContain('-i');
  });

  it('refuses key paths ssh would reinterpret, and missing key files', async () => {
    const source = createGitSource({ dataDir: await tmp('wrapper-data'), log: silentLogger, env: {} });
    try {
      const bad = await caught(
        source.fetch({ url: 'ssh://git@127.0.0.1:1/x.git', auth: { sshKeyFile: '/tmp/key%h' } }),
      );
      expect(bad.code).toBe('GIT_AUTH');
      expect(bad.message).toContain('auth.sshKeyFile');
      const missing = await caught(
        source.fetch({ url: 'git@127.0.0.1:x.git', auth: { sshKeyFileEnv: 'DEPLOY_KEY' } }),
      );
      expect(missing.message).toMatch(/DEPLOY_KEY.*not set/);
    } finally {
      await source.close();
    }
  });
});

const unavailable = sshdUnavailable();

describe.skipIf(unavailable !== undefined)(
  `git sources over a real sshd${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let sshd: SshServer;
    let bare: string;
    let head: string;

    beforeAll(async () => {
      const work = await tmp('ssh-work');
      head = await createRepo(work, { 'apps/web/deploy.yaml': 'name: web\n' });
      bare = join(await tmp('ssh-root'), 'web.git');
      await publish(work, bare);
      sshd = await startSshd(await tmp('sshd'));
    });

    afterAll(async () => {
      await sshd?.close();
    });

    it('fetches with a key file and known_hosts', async () => {
      const log = captureLogger();
      const source = createGitSource({ dataDir: await tmp('ssh-data'), log: log.logger });
      try {
        const repo = {
          url: sshd.url(bare),
          auth: { sshKeyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts },
        };
        await source.fetch(repo);
        expect(await source.resolve(repo, 'main')).toBe(head);
      } finally {
        await source.close();
      }
    });

    it('reads the key path from the env var named in sshKeyFileEnv, also from paths with spaces', async () => {
      const spaced = join(await tmp('ssh-keys'), "deploy keys $(x) 'q'");
      await mkdir(spaced);
      const key = join(spaced, 'id key');
      const known = join(spaced, 'known hosts');
      await copyFile(sshd.clientKey, key);
      await chmod(key, 0o600);
      await copyFile(sshd.knownHosts, known);
      const source = createGitSource({
        dataDir: await tmp('ssh-data'),
        log: silentLogger,
        env: { DEPLOY_KEY: key },
      });
      try {
        const repo = { url: sshd.url(bare), auth: { sshKeyFileEnv: 'DEPLOY_KEY', knownHostsFile: known } };
        expect(await source.resolve(repo, 'main')).toBe(head);
      } finally {
        await source.close();
      }
    });

    it('refuses a host whose key does not match known_hosts', async () => {
      const source = createGitSource({ dataDir: await tmp('ssh-data'), log: silentLogger });
      try {
        const repo = {
          url: sshd.url(bare),
          auth: { sshKeyFile: sshd.clientKey, knownHostsFile: sshd.wrongKnownHosts },
        };
        const err = await caught(source.fetch(repo));
        expect(err.code).toBe('GIT_AUTH');
        expect(err.message).toContain(sshd.url(bare));
        expect(err.message).toMatch(/host key|Host key/);
      } finally {
        await source.close();
      }
    });

    it('refuses a key the server does not accept', async () => {
      const other = join(await tmp('ssh-other'), 'id');
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const source = createGitSource({ dataDir: await tmp('ssh-data'), log: silentLogger });
      try {
        const repo = { url: sshd.url(bare), auth: { sshKeyFile: other, knownHostsFile: sshd.knownHosts } };
        const err = await caught(source.fetch(repo));
        expect(err.code).toBe('GIT_AUTH');
        expect(err.message).toMatch(/Permission denied/);
      } finally {
        await source.close();
      }
    });
  },
);
