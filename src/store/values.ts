import { badRequest, storeFailure } from './errors.js';

/**
 * A time as the store keeps it: UTC ISO-8601 with milliseconds, the one form whose text order is
 * time order in both dialects. Any ISO-8601 input is accepted and normalized.
 */
export function toTime(value: string, field: string): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `${field}: ${JSON.stringify(value)} is not an ISO-8601 time; pass one such as new Date().toISOString()`,
      { path: field },
    );
  }
  return new Date(ms).toISOString();
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw badRequest(`${field} must be a non-empty string, got ${JSON.stringify(value) ?? 'undefined'}`, {
      path: field,
    });
  }
  return value;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON column; a row that does not parse names its table, column and key. */
export function fromJson<T>(
  text: string,
  where: { location: string; table: string; column: string; key: string },
): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw storeFailure(
      where.location,
      `read ${where.table}.${where.column} of ${where.key} (the stored JSON is corrupt; restore it from a backup)`,
      err,
    );
  }
}

/** Clamp a page size: default 50, at most 1,000. */
export function pageLimit(limit: number | undefined, fallback = 50): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw badRequest(`limit must be a positive integer, got ${JSON.stringify(limit)}`, { path: 'limit' });
  }
  return Math.min(limit, 1000);
}
