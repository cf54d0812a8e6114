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
  return new WheelhouseError(
    'STORE_FAILED',
    `failed to ${what} in the store at ${location}: ${errorMessage(err)}; ` +
      'check that the database is reachable and writable (docs/storage.md)',
    { cause: err, details: { ...details, store: location } },
  );
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
