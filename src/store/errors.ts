import { type ErrorDetails, errorMessage, WheelhouseError } from '../core/index.js';

/**
 * Runs one store operation and turns a database failure into a `STORE_FAILED` error that says
 * what failed and where. Errors that are already Wheelhouse errors (conflicts, not found) pass.
 */
export async function guard<T>(
  location: string,
  what: string,
  details: ErrorDetails,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw storeFailure(location, what, err, details);
  }
}

export function storeFailure(location: string, what: string, err: unknown, details: ErrorDetails = {}) {
  if (err instanceof WheelhouseError) return err;
  const known = knownCause(err);
  return new WheelhouseError(
    'STORE_FAILED',
    `failed to ${what} in the store at ${location}: ${known?.cause ?? errorMessage(err)}; ` +
      (known?.fix ?? 'check that the database is reachable and writable (docs/storage.md)'),
    { cause: err, details: { ...details, store: location, ...(known ? { reason: known.reason } : {}) } },
  );
}

/** Database failures whose cause we can name precisely, with what the operator should do. */
function knownCause(err: unknown): { reason: string; cause: string; fix: string } | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === '53100') {
    return {
      reason: 'disk-full',
      cause: `the disk holding the database is full (${code}: ${errorMessage(err)}); nothing of this write was stored`,
      fix: 'free space on that filesystem (or move the data directory to a larger one) and retry (docs/storage.md)',
    };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return {
      reason: 'corrupt',
      cause: `the database file is damaged (${code}: ${errorMessage(err)})`,
      fix: 'stop Wheelhouse and restore the file from a backup (docs/storage.md, "Backup and restore")',
    };
  }
  return undefined;
}

export function notFound(what: string, details: ErrorDetails, hint: string): WheelhouseError {
  return new WheelhouseError('NOT_FOUND', `${what} not found; ${hint}`, { details });
}

export function conflict(message: string, details: ErrorDetails): WheelhouseError {
  return new WheelhouseError('CONFLICT', message, { details });
}

export function badRequest(message: string, details: ErrorDetails = {}): WheelhouseError {
  return new WheelhouseError('BAD_REQUEST', message, { details });
}
