import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, type VerifySpec, WheelhouseError } from '../../core/index.js';

export interface ControlVerifyFlags {
  controlGpgKeys?: string;
  controlAllowedSigners?: string;
  controlVerifyCommits?: string;
}

/**
 * The trust anchor of the control repo from `wheelhouse up`'s flags (or their variables): key
 * files on the host, checked readable now so a wrong path stops the start rather than every load.
 * Undefined when no key is given (the control repo's commits are not verified).
 */
export async function controlVerifyFrom(
  flags: ControlVerifyFlags,
  cwd: string,
): Promise<VerifySpec | undefined> {
  const gpgKeys = (flags.controlGpgKeys ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean)
    .map((path) => resolve(cwd, path));
  const signers = flags.controlAllowedSigners?.trim();
  const allowedSigners = signers ? resolve(cwd, signers) : undefined;
  const commits = flags.controlVerifyCommits ?? 'tip';
  if (commits !== 'tip' && commits !== 'every') {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `--control-verify-commits (or WHEELHOUSE_CONTROL_VERIFY_COMMITS) must be tip or every, got ${JSON.stringify(commits)}`,
    );
  }
  if (gpgKeys.length === 0 && allowedSigners === undefined) {
    if (flags.controlVerifyCommits !== undefined) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        '--control-verify-commits needs the keys to verify with: add --control-gpg-keys <files> or --control-allowed-signers <file>',
      );
    }
    return undefined;
  }
  for (const [flag, path] of [
    ...gpgKeys.map((p) => ['--control-gpg-keys', p] as const),
    ...(allowedSigners ? [['--control-allowed-signers', allowedSigners] as const] : []),
  ]) {
    await readFile(path, 'utf8').catch((err: unknown) => {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `${flag} names ${path}, which cannot be read (${errorMessage(err)}): give the path of a key file on this host, readable by the Wheelhouse server`,
      );
    });
  }
  const mode = gpgKeys.length === 0 ? 'ssh' : allowedSigners === undefined ? 'gpg' : 'any';
  return { mode, gpgKeys, ...(allowedSigners ? { allowedSigners } : {}), commits };
}
