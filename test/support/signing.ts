import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingComponent } from './components.js';
import { type FileTree, git, writeTree } from './git.js';

const run = promisify(execFile);

/** Why signing tests cannot run here (gpg or ssh-keygen missing), or undefined when they can. */
export function signingToolsMissing(): string | undefined {
  const has = (cmd: string, arg: string) => spawnSync(cmd, [arg]).error === undefined;
  return (
    missingComponent('gpg', 'apt-get install -y gnupg', has('gpg', '--version')) ??
    missingComponent('ssh-keygen', 'apt-get install -y openssh-client', has('ssh-keygen', '-?'))
  );
}

/** Someone who signs commits: the `git -c` settings and environment that make `git commit -S` use their key. */
export interface Signer {
  name: string;
  config: string[];
  env: Record<string, string>;
  /** Armored GPG public key, or one allowed-signers line for SSH. */
  trust: string;
  /** Stops what signing started (gpg-agent). */
  close(): Promise<void>;
}

/** A GPG key in a throwaway GNUPGHOME (ed25519, no passphrase). */
export async function gpgSigner(dir: string, name: string, email: string): Promise<Signer> {
  const home = join(dir, 'gnupg');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  const uid = `${name} <${email}>`;
  await run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], {
    env,
  });
  const { stdout: armored } = await run('gpg', ['--batch', '--armor', '--export', email], { env });
  return {
    name: uid,
    config: ['-c', `user.signingkey=${email}`, '-c', 'gpg.format=openpgp'],
    env: { GNUPGHOME: home },
    trust: armored,
    async close() {
      await run('gpgconf', ['--kill', 'all'], { env }).catch(() => undefined);
    },
  };
}

/** An SSH key (ed25519) that signs through `gpg.format=ssh`. */
export async function sshSigner(dir: string, principal: string): Promise<Signer> {
  await mkdir(dir, { recursive: true });
  const key = join(dir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', principal, '-f', key]);
  const pub = (await readFile(`${key}.pub`, 'utf8')).trim();
  return {
    name: principal,
    config: ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`],
    env: {},
    trust: `${principal} ${pub}\n`,
    close: async () => undefined,
  };
}

/** Write files and commit them, signed by `signer` (unsigned without one); returns the new HEAD. */
export async function signedCommit(
  dir: string,
  files: FileTree,
  message: string,
  signer?: Signer,
): Promise<string> {
  await writeTree(dir, files);
  await git(dir, 'add', '--all');
  const args = [...(signer?.config ?? []), 'commit', '--quiet', '--allow-empty', '-m', message];
  if (signer) args.push('-S');
  await run('git', args, {
    cwd: dir,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', ...signer?.env },
  });
  return git(dir, 'rev-parse', 'HEAD');
}
