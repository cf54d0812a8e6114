/**
 * How write-back commits are signed, so that an installation that verifies its sources
 * (`source.verify`) accepts its own commits. `key` is what git's `user.signingkey` takes: a GPG key
 * id, fingerprint or email (`openpgp`), or the path of an SSH private or public key file (`ssh`).
 */
export interface CommitSigning {
  format: 'openpgp' | 'ssh';
  key: string;
  /** GnuPG home holding the secret key (default: the process's `GNUPGHOME` or `~/.gnupg`). */
  gnupgHome?: string;
}

/** `git -c` settings for a commit or rebase: signed with the key, or explicitly unsigned. */
export function signingConfig(signing: CommitSigning | undefined): string[] {
  if (!signing) return ['-c', 'commit.gpgsign=false'];
  return [
    '-c',
    'commit.gpgsign=true',
    '-c',
    `gpg.format=${signing.format}`,
    '-c',
    `user.signingkey=${signing.key}`,
  ];
}

/** Environment the signing git process needs (the GnuPG home), laid over the identity. */
export function signingEnv(signing: CommitSigning | undefined): Record<string, string> {
  return signing?.gnupgHome ? { GNUPGHOME: signing.gnupgHome } : {};
}

/**
 * Signing as configured by environment variables of `wheelhouse up`: `WHEELHOUSE_SIGNING_KEY`
 * (the key) and `WHEELHOUSE_SIGNING_FORMAT` (`openpgp`, the default, or `ssh`). A bad format is an
 * error that says which variable to fix.
 */
export function signingFromEnv(env: Record<string, string | undefined>): CommitSigning | undefined {
  const key = env.WHEELHOUSE_SIGNING_KEY?.trim();
  if (!key) return undefined;
  const format = env.WHEELHOUSE_SIGNING_FORMAT?.trim() || 'openpgp';
  if (format !== 'openpgp' && format !== 'ssh') {
    throw new Error(
      `WHEELHOUSE_SIGNING_FORMAT is ${JSON.stringify(format)}; set it to openpgp (a GPG key) or ssh (an SSH key file)`,
    );
  }
  return { format, key };
}
