import { spawn } from 'node:child_process';
import { type ErrorCode, WheelhouseError } from '../../core/index.js';
import { gitStartFailure } from './git-start-failure.js';
import { redactSecrets, sanitizeText } from './url.js';

/** Called for every git process started (tests count spawns with it; never sees secrets). */
export type SpawnHook = (info: { pid: number; args: readonly string[] }) => void;

export interface RunGitOptions {
  /** Working directory (use `--git-dir=` in `args` for a bare mirror). */
  cwd?: string;
  /** Extra environment variables, laid over the sanitized base environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Base environment (default `process.env`); git's repo-locating variables are removed from it. */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Kill the process group and fail with `GIT_TIMEOUT` after this long (default 120 s). */
  timeoutMs?: number;
  /** Aborting kills the process group and fails with `GIT_FAILED`. */
  signal?: AbortSignal;
  /** Written to the process's standard input, which is then closed. */
  input?: string | Buffer;
  /** Values redacted from every message (passwords, tokens, derived header values). */
  secrets?: readonly string[];
  /** What this call does, for messages: `fetch of https://host/team/web`. */
  what?: string;
  /** Sanitized repo URL, put in error details. */
  repo?: string;
  onSpawn?: SpawnHook;
  /** Fail (and kill git) when standard output grows past this (default 256 MiB). */
  maxOutputBytes?: number;
  /** Exit codes that are not failures (default only 0). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_GIT_TIMEOUT_MS = 120_000;

/** Variables that would point git at another repository, index or config than the one we name. */
const STRIPPED_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_SSH_VARIANT',
];

/**
 * The environment every git child gets: the base environment without variables that redirect
 * git, English messages (errors are classified by text), and no interactive prompts.
 */
export function gitEnv(
  base: Readonly<Record<string, string | undefined>> = process.env,
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (STRIPPED_ENV.includes(key) || /^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(key)) continue;
    out[key] = value;
  }
  out.LC_ALL = 'C';
  out.LANGUAGE = '';
  out.GIT_TERMINAL_PROMPT = '0';
  out.GIT_ASKPASS = '';
  out.SSH_ASKPASS = '';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}

const AUTH_PATTERNS = [
  /authentication failed/i,
  /HTTP (Basic: Access denied|401|403)/i,
  /The requested URL returned error: 40[13]/i,
  /could not read (Username|Password)/i,
  /terminal prompts disabled/i,
  /Permission denied \(/i,
  /Host key verification failed/i,
  /REMOTE HOST IDENTIFICATION HAS CHANGED/i,
  /No (RSA|ECDSA|ED25519)?\s*host key is known/i,
  /invalid credentials/i,
];

/** `GIT_AUTH` when git's stderr says credentials or a host key were refused, else `GIT_FAILED`. */
export function classifyGitFailure(stderr: string): 'GIT_AUTH' | 'GIT_FAILED' {
  return AUTH_PATTERNS.some((p) => p.test(stderr)) ? 'GIT_AUTH' : 'GIT_FAILED';
}

/** The last few meaningful lines of git's stderr, sanitized, for an error message. */
export function stderrSummary(stderr: string, secrets: readonly string[] = [], maxLines = 4): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Enumerating)/.test(l));
  const text = lines.slice(-maxLines).join(' | ');
  return redactSecrets(sanitizeText(text), secrets) || '(git printed nothing)';
}

/** Kill a detached child's whole process group (git spawns helpers such as git-remote-https and ssh). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: nothing left to stop.
    }
  }
}

/**
 * Run git with an argument vector (never a shell) in its own process group, with a timeout that
 * kills the whole group. Messages are sanitized: URL credentials and `secrets` never appear.
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? 256 * 1024 * 1024;
  const secrets = options.secrets ?? [];
  const what = options.what ?? `git ${args.find((a) => !a.startsWith('-')) ?? ''}`.trim();
  const details = (extra: Record<string, unknown> = {}) => ({
    ...(options.repo === undefined ? {} : { repo: options.repo }),
    ...extra,
  });
  const fail = (code: ErrorCode, message: string, cause?: unknown, extra: Record<string, unknown> = {}) =>
    new WheelhouseError(code, redactSecrets(sanitizeText(message), secrets), {
      ...(cause === undefined ? {} : { cause }),
      details: details(extra),
    });

  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(fail('GIT_FAILED', `${what} was cancelled before it started`));
      return;
    }
    const child = spawn('git', [...args], {
      cwd: options.cwd,
      env: gitEnv(options.baseEnv, options.env),
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onSpawn?.({ pid: child.pid, args });

    const out: Buffer[] = [];
    let outBytes = 0;
    const err: Buffer[] = [];
    let errBytes = 0;
    let settled = false;
    let failure: WheelhouseError | undefined;

    const stop = (error: WheelhouseError) => {
      if (failure === undefined) failure = error;
      killGroup(child.pid);
      // A helper that left the process group could keep the pipes open: do not wait for it.
      setTimeout(() => finish(error), 5_000).unref();
    };
    const timer = setTimeout(() => {
      stop(
        fail(
          'GIT_TIMEOUT',
          `${what} did not finish within ${Math.round(timeoutMs / 1000)}s and was stopped; check that the git host is reachable and responsive, or raise the git timeout`,
          undefined,
          { timeoutMs },
        ),
      );
    }, timeoutMs);
    const onAbort = () => stop(fail('GIT_FAILED', `${what} was cancelled`));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        stop(fail('GIT_FAILED', `${what} printed more than ${maxOutput} bytes and was stopped`));
        return;
      }
      out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep only the tail: progress output can be long, and the last lines carry the reason.
      errBytes += chunk.length;
      err.push(chunk);
      while (errBytes > 64 * 1024 && err.length > 1) errBytes -= err.shift()?.length ?? 0;
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // git may exit before reading all input; its exit status tells what happened.
      });
      child.stdin.end(options.input);
    }

    function finish(result: GitResult | WheelhouseError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (result instanceof WheelhouseError) reject(result);
      else resolve(result);
    }

    child.on('error', (cause) => {
      finish(
        fail('GIT_FAILED', `${what} could not start git: ${gitStartFailure(cause, options.cwd)}`, cause),
      );
    });
    child.on('close', (exitCode, signalName) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (failure !== undefined) {
        finish(failure);
        return;
      }
      const code = exitCode ?? -1;
      if (code !== 0 && !(options.okExitCodes ?? []).includes(code)) {
        const why = stderrSummary(stderr, secrets);
        const kind = classifyGitFailure(stderr);
        const hint =
          kind === 'GIT_AUTH'
            ? 'check the credentials named in the source auth (env vars, key file, known_hosts)'
            : 'check the repo URL, the ref and that the host is reachable';
        finish(
          fail(
            kind,
            `${what} failed (${signalName ? `signal ${signalName}` : `exit ${code}`}): ${why}; ${hint}`,
            undefined,
            { exitCode: code },
          ),
        );
        return;
      }
      const stdoutBytes = Buffer.concat(out);
      finish({ stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr, exitCode: code });
    });
  });
}
