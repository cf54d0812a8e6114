import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger, Store } from '../core/index.js';
import type { StoreOptions } from './context.js';
import type { StoreDialect } from './dialect.js';
import { badRequest } from './errors.js';
import { printableUrl } from './location.js';
import { createPostgresStore, openPostgresDatabase } from './postgres.js';
import type { Database } from './schema.js';
import { createSqliteStore, openSqliteDatabase, SQLITE_FILE_NAME } from './sqlite.js';

/** `sqlite:<dataDir>/wheelhouse.db`: the embedded default. */
export function defaultStoreUrl(dataDir: string): string {
  return `sqlite:${join(dataDir, SQLITE_FILE_NAME)}`;
}

/**
 * Opens the store a URL names and migrates it:
 * - `sqlite:PATH` (also `sqlite://PATH`, `sqlite::memory:`), PATH relative to the working dir;
 * - `postgres://…` or `postgresql://…` (a libpq connection URL).
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  return target.kind === 'sqlite'
    ? createSqliteStore({ ...options, file: target.file })
    : createPostgresStore({ ...options, connectionString: target.connectionString });
}

/** The database behind a store URL, without the store on top (migrations not run yet). */
export function openDatabase(
  url: string,
  options: { log?: Logger; quickCheck?: boolean } = {},
): {
  db: Kysely<Database>;
  dialect: StoreDialect;
} {
  const target = parseStoreUrl(url);
  return target.kind === 'sqlite'
    ? openSqliteDatabase({
        file: target.file,
        ...(options.quickCheck === false ? { quickCheck: false } : {}),
      })
    : openPostgresDatabase({
        ...(options.log ? { log: options.log } : {}),
        connectionString: target.connectionString,
      });
}

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string };

export function parseStoreUrl(url: string): StoreTarget {
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') {
      throw badRequest('store URL "sqlite:" names no file; use sqlite:/path/to/wheelhouse.db', {
        path: 'store',
      });
    }
    return { kind: 'sqlite', file };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { kind: 'postgres', connectionString: url };
  }
  throw badRequest(
    `store URL "${printableUrl(url)}" has an unknown scheme; use sqlite:/path/to/wheelhouse.db or ` +
      'postgres://user@host:5432/database',
    { path: 'store' },
  );
}
