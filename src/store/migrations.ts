import { type Kysely, sql } from 'kysely';
import { CLUSTER_TABLES } from './cluster/schema.js';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';

/**
 * One step of the schema. Versions count up from 1 without gaps; a released migration never
 * changes (add a new one instead). Each runs once, in its own transaction, in both dialects.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>, dialect: StoreDialect): Promise<void>;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    async up(db, dialect) {
      await db.schema
        .createTable('syncs')
        .addColumn('pos', 'integer', (c) => dialect.autoIncrement(c))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('app', 'text', (c) => c.notNull())
        .addColumn('revision', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('sync_trigger', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('change_set', 'text', (c) => c.notNull())
        .addColumn('messages', 'text', (c) => c.notNull())
        .addColumn('health', 'text')
        .addColumn('facts', 'text')
        .execute();
      await db.schema
        .createIndex('syncs_app_started')
        .on('syncs')
        .columns(['app', 'started_at', 'pos'])
        .execute();
      await db.schema.createIndex('syncs_result').on('syncs').column('result').execute();

      await db.schema
        .createTable('audit')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('app', 'text')
        .addColumn('platform', 'text')
        .addColumn('channel', 'text')
        .addColumn('text', 'text')
        .addColumn('decision', 'text')
        .addColumn('result', 'text')
        .addColumn('details', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_app').on('audit').columns(['app', 'seq']).execute();
      await db.schema.createIndex('audit_actor').on('audit').columns(['actor', 'seq']).execute();

      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('requester', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decisions', 'text', (c) => c.notNull())
        .addColumn('origin', 'text')
        .addColumn('preview', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('approvals_status')
        .on('approvals')
        .columns(['status', 'created_at'])
        .execute();

      await db.schema
        .createTable('locks')
        .addColumn('app', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('chat_messages')
        .addColumn('pos', 'integer', (c) => dialect.autoIncrement(c))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('room', 'text', (c) => c.notNull())
        .addColumn('thread', 'text')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('bot', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('chat_room_pos').on('chat_messages').columns(['room', 'pos']).execute();
      await db.schema
        .createIndex('chat_room_thread_pos')
        .on('chat_messages')
        .columns(['room', 'thread', 'pos'])
        .execute();

      await db.schema
        .createTable('app_state')
        .addColumn('app', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('deliveries_pk', ['source', 'id'])
        .execute();
      await db.schema.createIndex('deliveries_at').on('deliveries').column('at').execute();
    },
  },
  {
    version: 2,
    name: 'dashboard sessions',
    async up(db) {
      // Only hashes: the cookie's session id and the token it was exchanged for are never stored.
      await db.schema
        .createTable('web_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute();
    },
  },
  {
    version: 3,
    name: 'health transitions',
    async up(db, dialect) {
      // Each change of an app's health, for time to restore and change failure (delivery figures).
      await db.schema
        .createTable('health_transitions')
        .addColumn('pos', 'integer', (c) => dialect.autoIncrement(c))
        .addColumn('app', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('from_health', 'text', (c) => c.notNull())
        .addColumn('to_health', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .execute();
      await db.schema
        .createIndex('health_transitions_app_at')
        .on('health_transitions')
        .columns(['app', 'at', 'pos'])
        .execute();
      await db.schema.createIndex('health_transitions_at').on('health_transitions').column('at').execute();
    },
  },
  {
    version: 4,
    name: 'pull request previews',
    async up(db) {
      await db.schema
        .createTable('previews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text')
        .addColumn('title', 'text')
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('previews_updated_at').on('previews').column('updated_at').execute();
    },
  },
  {
    version: 5,
    name: 'replica tables',
    async up(db, dialect) {
      // Replicas share one PostgreSQL only (docs/high-availability.md); SQLite records the step.
      if (dialect.name !== 'postgres') return;
      for (const statement of CLUSTER_TABLES) await sql.raw(statement).execute(db);
    },
  },
];
