import type { Permission } from '../core/index.js';

/** What a command needs: the permission, whether a lock stops it, whether approval rules apply. */
export interface ActionTraits {
  permission: Permission;
  /** A lock held by someone else refuses it. */
  mutating: boolean;
  /** Approval rules (`approvals:` in wheelhouse.yaml) can gate it. */
  approvable: boolean;
}

const read: ActionTraits = { permission: 'read', mutating: false, approvable: false };
const write: ActionTraits = { permission: 'write', mutating: true, approvable: true };

/**
 * Every action any surface (chat, API, CLI, dashboard) can ask for, by command name. Approval
 * rules name these (`commands: [sync, rollback, promote, scale, set]`).
 */
export const ACTIONS: Readonly<Record<string, ActionTraits>> = {
  help: read,
  status: read,
  diff: read,
  history: read,
  logs: read,
  whoami: read,
  audit: read,
  locks: read,
  images: read,
  approvals: read,
  sync: { permission: 'sync', mutating: true, approvable: true },
  refresh: { permission: 'sync', mutating: false, approvable: false },
  lock: { permission: 'lock', mutating: true, approvable: false },
  unlock: { permission: 'lock', mutating: true, approvable: false },
  approve: { permission: 'approve', mutating: false, approvable: false },
  deny: { permission: 'approve', mutating: false, approvable: false },
  rollback: write,
  scale: write,
  set: write,
  promote: write,
  pause: write,
  resume: write,
  build: { permission: 'build', mutating: true, approvable: false },
  builds: read,
  cancel: { permission: 'build', mutating: true, approvable: false },
  metrics: read,
  preview: read,
  'image-update': write,
};

export function actionTraits(command: string): ActionTraits {
  return ACTIONS[command] ?? { permission: 'admin', mutating: true, approvable: true };
}
