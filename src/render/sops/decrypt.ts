import { spawn } from 'node:child_process';
import type { SourceFile, ValidationIssue } from '../../core/index.js';
import { type SopsFormat, sopsFormat } from './detect.js';

export interface SopsOptions {
  /** The `sops` binary (`WHEELHOUSE_SOPS`, else `sops` on PATH). */
  binary: string;
  /** Environment sops reads its keys from: `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY`, `GNUPGHOME`. */
  env: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Where the keys come from, named in "no key opens it" failures (default: SOPS_AGE_KEY_FILE). */
  keySource?: string;
  /** Why the app's own keys cannot be used (named but unset variables): fails every SOPS file of the app. */
  unsetKeys?: string;
}

/** sops as configured by `wheelhouse up`'s environment: `WHEELHOUSE_SOPS` and sops's own key variables. */
export function sopsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SopsOptions {
  return { binary: env.WHEELHOUSE_SOPS || 'sops', env };
}

export interface Decrypted {
  /** The files with every SOPS file replaced by its clear text (in memory only). */
  files: SourceFile[];
  issues: ValidationIssue[];
  /** The clear values that came out of encrypted fields: secrets, to be masked everywhere. */
  secrets: string[];
}

/**
 * Decrypts the SOPS files among `files` with the `sops` binary, content through stdin and stdout
 * only: the clear text is never written to disk. `sops decrypt` checks the MAC, so a tampered
 * value fails the file; the failure names the file, sops's reason and what to do.
 */
export async function decryptSopsFiles(
  files: readonly SourceFile[],
  options: SopsOptions,
): Promise<Decrypted> {
  const out: SourceFile[] = [];
  const issues: ValidationIssue[] = [];
  const secrets: string[] = [];
  for (const file of files) {
    const text = file.content.toString('utf8');
    const format = sopsFormat(file.path, text);
    if (!format) {
      out.push(file);
      continue;
    }
    if (options.unsetKeys) {
      issues.push({
        file: file.path,
        line: 1,
        column: 1,
        path: 'sops',
        message: `cannot decrypt this SOPS file: ${options.unsetKeys}`,
      });
      continue;
    }
    const run = await runSops(format, text, options);
    if (!run.ok) {
      issues.push({ file: file.path, line: 1, column: 1, path: 'sops', message: run.message });
      continue;
    }
    out.push({ path: file.path, content: Buffer.from(run.stdout, 'utf8') });
    secrets.push(...clearValues(format, text, run.stdout));
  }
  return { files: out, issues, secrets };
}

/** Values whose encrypted form (`ENC[...]`) was replaced: the lines that changed, value part. */
function clearValues(format: SopsFormat, encrypted: string, clear: string): string[] {
  const before = new Set(encrypted.split('\n'));
  const values: string[] = [];
  for (const line of clear.split('\n')) {
    if (before.has(line)) continue;
    const value =
      format === 'dotenv'
        ? line.slice(line.indexOf('=') + 1)
        : (/^\s*(?:-\s+)?(?:"[^"]*"|[^:]+):\s*(.+?),?\s*$/.exec(line)?.[1] ?? line.trim());
    const unquoted = value.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    if (unquoted.trim() !== '') values.push(unquoted);
  }
  return values;
}

type SopsRun = { ok: true; stdout: string } | { ok: false; message: string };

function runSops(format: SopsFormat, input: string, options: SopsOptions): Promise<SopsRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/',
    SOPS_DISABLE_VERSION_CHECK: '1',
  };
  for (const name of ['SOPS_AGE_KEY_FILE', 'SOPS_AGE_KEY', 'GNUPGHOME'] as const) {
    const value = options.env[name];
    if (value) env[name] = value;
  }
  // No file argument: sops reads standard input.
  const args = ['decrypt', '--input-type', format, '--output-type', format];
  return new Promise((resolve) => {
    const child = spawn(options.binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        message:
          error.code === 'ENOENT'
            ? `sops is not installed: install sops on the PATH of the Wheelhouse server, or set WHEELHOUSE_SOPS to its path`
            : `sops could not run: ${error.message}`,
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, stdout: Buffer.concat(out).toString('utf8') });
      else
        resolve({
          ok: false,
          message: failure(Buffer.concat(err).toString('utf8'), code, options.keySource),
        });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** sops's reason in one line, with what to do about it. */
function failure(stderr: string, code: number | null, keySource = 'SOPS_AGE_KEY_FILE'): string {
  const reason = (stderr.split('Recovery failed')[0] ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*-?\s*\|?\s*/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 600);
  const hint = /MAC mismatch|message authentication failed/i.test(reason)
    ? 'the file was changed after it was encrypted (tampered or edited by hand); encrypt it again with `sops edit` (or `sops encrypt`)'
    : /with PGP key|No secret key/i.test(reason)
      ? "the GnuPG keyring GNUPGHOME names holds no secret key of the file's PGP recipients: import Wheelhouse's PGP secret key there (`gpg --import`), or encrypt the file for a key Wheelhouse holds"
      : /failed to open SOPS_AGE_KEY_FILE|no such file/i.test(reason)
        ? 'the key file SOPS_AGE_KEY_FILE names cannot be read: give the Wheelhouse server a readable age key file'
        : /data key|did not match|no identity|could not decrypt/i.test(reason)
          ? `Wheelhouse holds no key that opens it: give the server the age key (${keySource}) of one of the file's recipients, or encrypt the file for Wheelhouse's recipient`
          : 'check the file with `sops decrypt`';
  return `cannot decrypt this SOPS file: ${reason || `sops exited ${code}`}; ${hint}`;
}
