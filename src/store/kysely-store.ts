import type { Kysely } from 'kysely';
import { type Store, silentLogger } from '../core/index.js';
import { getAppState, putAppState } from './app-state.js';
import * as approvals from './approvals.js';
import * as audit from './audit.js';
import * as chat from './chat.js';
import { DEFAULT_DELIVERY_RETENTION_MS, type StoreContext, type StoreOptions } from './context.js';
import { createDeliveries } from './deliveries.js';
import type { StoreDialect } from './dialect.js';
import { storeFailure } from './errors.js';
import * as healthHistory from './health-history.js';
import * as locks from './locks.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import * as previews from './previews.js';
import type { Database } from './schema.js';
import * as sessions from './sessions.js';
import * as syncs from './syncs.js';
import * as users from './users.js';

/**
 * The Store port over any kysely database: runs the migrations, then answers every method with
 * the same queries whichever dialect is behind `db`. Closes `db` when opening fails.
 */
export async function createKyselyStore(
  db: Kysely<Database>,
  dialect: StoreDialect,
  options: StoreOptions = {},
): Promise<Store> {
  const log = (options.log ?? silentLogger).child({ component: 'store', store: dialect.location });
  const ctx: StoreContext = {
    db,
    dialect,
    log,
    now: options.now ?? (() => new Date()),
    deliveryRetentionMs: options.deliveryRetentionMs ?? DEFAULT_DELIVERY_RETENTION_MS,
  };
  try {
    const report = await migrate(db, dialect, migrations, log);
    log.debug({ version: report.version, applied: report.applied }, 'store open');
  } catch (err) {
    await db.destroy().catch(() => {});
    throw storeFailure(dialect.location, 'open the store and migrate its schema', err);
  }
  const markDelivered = createDeliveries(ctx);
  let closed: Promise<void> | undefined;

  return {
    insertSync: (record) => syncs.insertSync(ctx, record),
    updateSync: (record) => syncs.updateSync(ctx, record),
    listSyncFacts: (app, digest, recent) => syncs.listSyncFacts(ctx, app, digest, recent),
    getSync: (id) => syncs.getSync(ctx, id),
    listSyncs: (app, page) => syncs.listSyncs(ctx, app, page),
    listRunningSyncs: () => syncs.listRunningSyncs(ctx),

    appendAudit: (input) => audit.appendAudit(ctx, input),
    listAudit: (filter) => audit.listAudit(ctx, filter),
    verifyAudit: () => audit.verifyAudit(ctx),

    insertApproval: (approval) => approvals.insertApproval(ctx, approval),
    getApproval: (id) => approvals.getApproval(ctx, id),
    listApprovals: (filter) => approvals.listApprovals(ctx, filter),
    decideApproval: (id, expected, status, decision) =>
      approvals.decideApproval(ctx, id, expected, status, decision),

    getLock: (app) => locks.getLock(ctx, app),
    listLocks: () => locks.listLocks(ctx),
    acquireLock: (lock) => locks.acquireLock(ctx, lock),
    releaseLock: (app) => locks.releaseLock(ctx, app),

    createUser: (name, tokenHash) => users.createUser(ctx, name, tokenHash),
    findUserByTokenHash: (tokenHash) => users.findUserByTokenHash(ctx, tokenHash),
    listUsers: () => users.listUsers(ctx),
    removeUser: (name) => users.removeUser(ctx, name),

    insertSession: (session) => sessions.insertSession(ctx, session),
    getSession: (idHash) => sessions.getSession(ctx, idHash),
    deleteSession: (idHash) => sessions.deleteSession(ctx, idHash),
    deleteExpiredSessions: (now) => sessions.deleteExpiredSessions(ctx, now),

    insertChatMessage: (message) => chat.insertChatMessage(ctx, message),
    updateChatMessage: (id, patch) => chat.updateChatMessage(ctx, id, patch),
    getChatMessage: (id) => chat.getChatMessage(ctx, id),
    listChatMessages: (room, filter) => chat.listChatMessages(ctx, room, filter),
    listChatRooms: () => chat.listChatRooms(ctx),

    recordHealthTransition: (transition) => healthHistory.recordHealthTransition(ctx, transition),
    listHealthTransitions: (filter) => healthHistory.listHealthTransitions(ctx, filter),
    savePreview: (preview) => previews.savePreview(ctx, preview),
    getPreview: (id) => previews.getPreview(ctx, id),
    listPreviews: (filter) => previews.listPreviews(ctx, filter),

    getAppState: (app) => getAppState(ctx, app),
    putAppState: (state) => putAppState(ctx, state),

    markDelivered,

    close: () => {
      closed ??= db.destroy().then(() => log.debug('store closed'));
      return closed;
    },
  };
}
