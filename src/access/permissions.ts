import { PERMISSIONS as PERMISSION_NAMES } from '../config/index.js';
import type { Permission } from '../core/index.js';

/** Every permission, weakest first (one list, the one wheelhouse.yaml is checked against). `admin` implies all the others. */
export const PERMISSIONS: readonly Permission[] = PERMISSION_NAMES;

/** Roles that exist even when wheelhouse.yaml does not declare them (a declared role wins). */
export const BUILTIN_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  viewer: ['read'],
  admin: ['admin'],
};

/** What each permission lets a person do, for refusals and `help`. */
export const PERMISSION_MEANING: Readonly<Record<Permission, string>> = {
  read: 'see status, diffs, history, logs and the audit log',
  sync: 'sync and refresh apps',
  lock: 'lock and unlock apps',
  write: 'change desired state in Git (rollback, scale, set env, promote, pause, resume)',
  approve: 'approve or deny requests that need an approval',
  build: 'start and cancel CI jobs (`build`, `cancel`)',
  admin: 'do everything, including breaking another person’s lock',
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** The permissions of a role, or undefined for a role nobody declared. */
export function rolePermissions(
  roles: Readonly<Record<string, readonly Permission[]>>,
  role: string,
): readonly Permission[] | undefined {
  return Object.hasOwn(roles, role) ? roles[role] : BUILTIN_ROLES[role];
}

export function grants(permissions: readonly Permission[], wanted: Permission): boolean {
  return permissions.includes('admin') || permissions.includes(wanted);
}
