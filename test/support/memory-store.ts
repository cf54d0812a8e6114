import { createHash } from 'node:crypto';
import {
  type Approval,
  type AppState,
  type AuditEntry,
  type Lock,
  type Store,
  type StoredChatMessage,
  type SyncRecord,
  type User,
  WheelhouseError,
} from '../../src/core/index.js';

/**
 * A small in-memory Store for route tests that do not need persistence. It keeps the port's
 * contract (hash-chained audit, unique token hashes, delivery dedupe); suites that test storage
 * itself use the real SQLite and PostgreSQL stores.
 */
export function createMemoryStore(): Store & { tamperAudit(seq: number, text: string): void } {
  const syncs = new Map<string, SyncRecord>();
  const audit: AuditEntry[] = [];
  const approvals = new Map<string, Approval>();
  const locks = new Map<string, Lock>();
  const users = new Map<string, { user: User; tokenHash: string }>();
  const chat: StoredChatMessage[] = [];
  const states = new Map<string, AppState>();
  const deliveries = new Set<string>();
  const hashOf = (entry: Omit<AuditEntry, 'hash'>): string =>
    createHash('sha256')
      .update(JSON.stringify(entry, Object.keys(entry).sort()))
      .digest('hex');

  return {
    async insertSync(record) {
      syncs.set(record.id, structuredClone(record));
    },
    async updateSync(record) {
      syncs.set(record.id, structuredClone(record));
    },
    getSync: async (id) => structuredClone(syncs.get(id)),
    async listSyncs(app, page = {}) {
      return [...syncs.values()]
        .filter((s) => s.app === app)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .slice(0, page.limit ?? 50);
    },
    listRunningSyncs: async () => [...syncs.values()].filter((s) => s.result === 'running'),
    async appendAudit(input) {
      const prevHash = audit.at(-1)?.hash ?? '';
      const base = { ...input, seq: audit.length + 1, at: new Date().toISOString(), prevHash };
      const entry: AuditEntry = { ...base, hash: hashOf(base) };
      audit.push(entry);
      return structuredClone(entry);
    },
    async listAudit(filter = {}) {
      return audit
        .filter(
          (e) =>
            (filter.app === undefined || e.app === filter.app) &&
            (filter.actor === undefined || e.actor === filter.actor),
        )
        .filter((e) => filter.before === undefined || e.seq < Number(filter.before))
        .filter((e) => filter.afterSeq === undefined || e.seq > filter.afterSeq)
        .reverse()
        .slice(0, filter.limit ?? 100)
        .map((e) => structuredClone(e));
    },
    async verifyAudit() {
      let prev = '';
      for (const entry of audit) {
        const { hash, ...rest } = entry;
        if (entry.prevHash !== prev || hashOf(rest) !== hash) {
          return {
            ok: false,
            checked: entry.seq,
            firstBroken: { seq: entry.seq, reason: 'hash does not match the entry' },
          };
        }
        prev = hash;
      }
      return { ok: true, checked: audit.length };
    },
    tamperAudit(seq, text) {
      const entry = audit.find((e) => e.seq === seq);
      if (entry) entry.text = text;
    },
    async insertApproval(approval) {
      approvals.set(approval.id, structuredClone(approval));
    },
    getApproval: async (id) => structuredClone(approvals.get(id)),
    listApprovals: async (filter = {}) =>
      [...approvals.values()].filter(
        (a) => (!filter.status || a.status === filter.status) && (!filter.app || a.app === filter.app),
      ),
    async decideApproval(id, expected, status, decision) {
      const approval = approvals.get(id);
      if (!approval) throw new WheelhouseError('NOT_FOUND', `no approval ${id}`);
      if (approval.status !== expected)
        throw new WheelhouseError('CONFLICT', `approval ${id} is ${approval.status}`);
      approval.status = status;
      if (decision) approval.decisions.push(decision);
      return structuredClone(approval);
    },
    getLock: async (app) => structuredClone(locks.get(app)),
    listLocks: async () => [...locks.values()],
    async acquireLock(lock) {
      const held = locks.get(lock.app);
      if (held) return { acquired: held.holder === lock.holder, lock: held };
      locks.set(lock.app, lock);
      return { acquired: true, lock };
    },
    releaseLock: async (app) => locks.delete(app),
    async createUser(name, tokenHash) {
      if (users.has(name) || [...users.values()].some((u) => u.tokenHash === tokenHash)) {
        throw new WheelhouseError('CONFLICT', `user ${name} exists`);
      }
      const user = { name, createdAt: new Date().toISOString() };
      users.set(name, { user, tokenHash });
      return user;
    },
    findUserByTokenHash: async (hash) => [...users.values()].find((u) => u.tokenHash === hash)?.user,
    listUsers: async () => [...users.values()].map((u) => u.user),
    removeUser: async (name) => users.delete(name),
    async insertChatMessage(message) {
      chat.push(structuredClone(message));
    },
    async updateChatMessage(id, patch) {
      const message = chat.find((m) => m.id === id);
      if (message) Object.assign(message, patch);
    },
    getChatMessage: async (id) => structuredClone(chat.find((m) => m.id === id)),
    listChatMessages: async (room) => chat.filter((m) => m.room === room),
    listChatRooms: async () => [...new Set(chat.map((m) => m.room))],
    getAppState: async (app) => structuredClone(states.get(app)),
    async putAppState(state) {
      states.set(state.app, structuredClone(state));
    },
    async markDelivered(source, id) {
      const key = `${source}\u0000${id}`;
      if (deliveries.has(key)) return false;
      deliveries.add(key);
      return true;
    },
    async close() {},
  };
}
