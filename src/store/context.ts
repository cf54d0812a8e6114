import type { Kysely } from 'kysely';
import type { Logger } from '../core/index.js';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';

/** Options every store accepts, whichever database is behind it. */
export interface StoreOptions {
  log?: Logger;
  /** The clock (tests move it); default `() => new Date()`. */
  now?: () => Date;
  /** How long `markDelivered` remembers an id; default 7 days. Older ids are pruned. */
  deliveryRetentionMs?: number;
}

/** What each group of queries needs: the database, its dialect hooks, a clock and a logger. */
export interface StoreContext {
  db: Kysely<Database>;
  dialect: StoreDialect;
  log: Logger;
  now(): Date;
  deliveryRetentionMs: number;
}

export const DEFAULT_DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
