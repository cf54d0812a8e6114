/**
 * Typed errors. Every error Wheelhouse reports carries a stable string `code` (for scripts and
 * the API), a message that says what failed, where, and what to do, and the underlying `cause`.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'MANIFEST_INVALID'
  | 'INPUT_REFUSED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'LOCKED'
  | 'APPROVAL_REQUIRED'
  | 'GIT_FAILED'
  | 'GIT_TIMEOUT'
  | 'GIT_AUTH'
  | 'REF_NOT_FOUND'
  | 'RENDER_FAILED'
  /** A revision's commit signatures are missing, bad or by a key `source.verify` does not trust. */
  | 'SIGNATURE_REFUSED'
  | 'DRIVER_FAILED'
  | 'HOOK_FAILED'
  | 'HEALTH_TIMEOUT'
  | 'STORE_FAILED'
  | 'WRITEBACK_FAILED'
  | 'WRITEBACK_CONFLICT'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'LEASE_LOST'
  | 'INTERNAL';

export interface ErrorDetails {
  /** File the problem is in, relative to the repo root where there is one. */
  file?: string;
  line?: number;
  column?: number;
  /** Dotted field path inside the file, e.g. `apps[2].sync.prune`. */
  path?: string;
  app?: string;
  resource?: string;
  [key: string]: unknown;
}

export class WheelhouseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WheelhouseError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Narrow an unknown thrown value to a message, without losing a WheelhouseError's code. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isWheelhouseError(err: unknown, code?: ErrorCode): err is WheelhouseError {
  return err instanceof WheelhouseError && (code === undefined || err.code === code);
}

/**
 * One problem found in user input (wheelhouse.yaml, a manifest, a compose file), located
 * precisely enough for an editor to jump to it.
 */
export interface ValidationIssue {
  /** Path relative to the repo root (or as given on the command line). */
  file: string;
  line: number;
  column: number;
  /** Field path, e.g. `apps[1].sync.prune` or `spec.health.http.url`; empty for the whole file. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}
