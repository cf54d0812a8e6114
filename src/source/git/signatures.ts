import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SignatureCheck, type SignatureTrust, WheelhouseError } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import type { Mirror } from './mirror.js';

// Commit signature checks: git itself verifies (`%G?`), against a throwaway GnuPG home holding only
// the trusted public keys (imported without starting an agent) and an allowed-signers file that
// holds only the trusted SSH keys. Nothing outside the check's temporary directory is touched.

/** Commits checked in one `every` range at most; a longer range fails and asks for a new baseline. */
const MAX_RANGE = 1000;
const FORMAT = '%H%x1f%G?%x1f%GK%x1f%GS%x1f%GF';

export async function verifyCommits(
  mirror: Mirror,
  from: string | undefined,
  to: string,
  trust: SignatureTrust,
): Promise<SignatureCheck> {
  const work = await mkdtemp(join(tmpdir(), 'wheelhouse-verify-'));
  try {
    const gnupgHome = join(work, 'gnupg');
    await mkdir(gnupgHome, { mode: 0o700 });
    if (trust.mode !== 'ssh' && trust.gpgKeys.length > 0) {
      await writeFile(join(work, 'keys.asc'), trust.gpgKeys.join('\n'));
      await importKeys(gnupgHome, join(work, 'keys.asc'), mirror.repo);
    }
    const signers = join(work, 'allowed_signers');
    await writeFile(signers, trust.mode === 'gpg' ? '' : trust.allowedSigners);
    const count = `--max-count=${from === undefined ? 1 : MAX_RANGE + 1}`;
    const range = from === undefined ? to : `${from}..${to}`;
    const result = await mirror.git(
      [
        '-c',
        `gpg.ssh.allowedSignersFile=${signers}`,
        'log',
        '-z',
        `--format=${FORMAT}`,
        count,
        '--end-of-options',
        range,
      ],
      `checking commit signatures in ${mirror.repo}`,
      { env: { GNUPGHOME: gnupgHome } },
    );
    const commits = result.stdout.split('\0').filter((line) => line.trim() !== '');
    if (commits.length > MAX_RANGE) {
      return {
        ok: false,
        commit: to,
        reason: `more than ${MAX_RANGE} commits since the last verified one ${shortSha(from)}; too many to check`,
      };
    }
    let tip: SignatureCheck | undefined;
    // Oldest first, so the message names the first commit that broke the chain.
    for (const line of commits.reverse()) {
      const check = judge(line.trim().split('\x1f'), trust.mode);
      if (!check.ok) return check;
      tip = check;
    }
    return tip ?? { ok: false, commit: to, reason: `commit ${shortSha(to)} was not found to check` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One `git log` line (`%H %G? %GK %GS %GF`) against the mode. */
function judge(fields: string[], mode: SignatureTrust['mode']): SignatureCheck {
  const [commit = '', status = 'N', key = '', name = '', fingerprint = ''] = fields;
  const at = `commit ${shortSha(commit)}`;
  if (status === 'N') return { ok: false, commit, reason: `${at} is not signed` };
  const ssh = key.startsWith('SHA256:');
  const kind = ssh ? 'SSH' : 'GPG';
  if (mode === 'gpg' && ssh)
    return { ok: false, commit, reason: `${at} is signed with SSH key ${key}, not GPG` };
  if (mode === 'ssh' && !ssh)
    return { ok: false, commit, reason: `${at} is signed with GPG key ${key}, not SSH` };
  // A key in the throwaway keyring has unknown trust (U) by design: being there is the trust.
  if (status === 'G' || (status === 'U' && !ssh)) {
    return { ok: true, commit, signer: `${name || 'unnamed'} (${kind} ${fingerprint || key})` };
  }
  const reasons: Record<string, string> = {
    U: `${at} is signed with SSH key ${key}, which is not in the trusted allowed-signers file`,
    E: `${at} is signed with ${kind} key ${key}, which is not among the trusted keys`,
    B: `${at} has a bad ${kind} signature by key ${key} (the commit or its signature was altered)`,
    X: `${at} has an expired ${kind} signature by key ${key}`,
    Y: `${at} is signed with ${kind} key ${key}, which has expired`,
    R: `${at} is signed with ${kind} key ${key}, which was revoked`,
  };
  return {
    ok: false,
    commit,
    reason: reasons[status] ?? `${at} has a signature git cannot check (${status})`,
  };
}

function importKeys(gnupgHome: string, file: string, repo: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('gpg', ['--batch', '--quiet', '--no-autostart', '--import', file], {
      env: { ...process.env, GNUPGHOME: gnupgHome },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (err) =>
      reject(
        new WheelhouseError(
          'GIT_FAILED',
          `could not run gpg to check commit signatures of ${repo}: ${err.message}; install gnupg`,
          { cause: err, details: { repo } },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new WheelhouseError(
            'GIT_FAILED',
            `the trusted GPG keys for ${repo} could not be imported: ${stderr.trim() || `gpg exited ${code}`}; check that verify.gpgKeys name armored public keys (gpg --armor --export KEY)`,
            { details: { repo } },
          ),
        );
    });
  });
}
