import { readFileSync, statSync } from 'node:fs';
import { type Logger, WheelhouseError } from '../../core/index.js';

/** Who a workload runs as. */
export interface WorkloadUser {
  /** As written (`nobody`, `1001`, `1001:1001`), for messages. */
  name: string;
  uid: number;
  gid: number;
  /** The user's home from /etc/passwd (`/` when unknown): the workload's HOME. */
  home: string;
}

/** The default workload user when Wheelhouse runs as root. */
export const DEFAULT_WORKLOAD_USER = 'nobody';
const NOBODY_ID = 65534;

/**
 * Resolves `nobody`, `1001` or `1001:1001` through /etc/passwd (a numeric uid need not be listed;
 * its gid then defaults to the uid). Undefined when a name is not listed.
 */
export function lookupUser(spec: string, passwd: string = readPasswd()): WorkloadUser | undefined {
  const numeric = /^(\d+)(?::(\d+))?$/.exec(spec);
  const entries = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 7);
  if (numeric) {
    const uid = Number(numeric[1]);
    const entry = entries.find((fields) => Number(fields[2]) === uid);
    const gid = numeric[2] !== undefined ? Number(numeric[2]) : entry ? Number(entry[3]) : uid;
    return { name: spec, uid, gid, home: entry?.[5] || '/' };
  }
  const entry = entries.find((fields) => fields[0] === spec);
  if (!entry) {
    // Minimal images may lack a passwd entry for nobody; its id is the same everywhere.
    return spec === DEFAULT_WORKLOAD_USER
      ? { name: spec, uid: NOBODY_ID, gid: NOBODY_ID, home: '/' }
      : undefined;
  }
  return { name: spec, uid: Number(entry[2]), gid: Number(entry[3]), home: entry[5] || '/' };
}

/** How long a look-up trusts /etc/passwd unchanged before checking its size and mtime again. */
export const PASSWD_RECHECK_MS = 1_000;

/**
 * `lookupUser` against the current /etc/passwd, parsed again only when the file changed (its
 * size, mtime or inode): every File written when workloads run as another user asks twice, and
 * 10,000 Files would read and split the same file 20,000 times otherwise. The file is checked at
 * most once a second (a stat per File was 20,000 more syscalls for 10,000 Files), so a user
 * added to it counts from at most a second later.
 */
export function createCachedLookup(
  path = '/etc/passwd',
  now: () => number = () => performance.now(),
): (spec: string) => WorkloadUser | undefined {
  let version = '';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let cache = new Map<string, WorkloadUser | undefined>();
  return (spec) => {
    if (now() - checkedAt >= PASSWD_RECHECK_MS) {
      checkedAt = now();
      let current = 'missing';
      try {
        const st = statSync(path);
        current = `${st.size}:${st.mtimeMs}:${st.ino}`;
      } catch {
        // looked up against an empty file below, as lookupUser does
      }
      if (current !== version) {
        version = current;
        cache = new Map();
      }
    }
    if (!cache.has(spec)) cache.set(spec, lookupUser(spec, readPasswd(path)));
    return cache.get(spec);
  };
}

function readPasswd(path = '/etc/passwd'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface WorkloadUserOptions {
  target: string;
  /** `user` of the target (undefined: the default). */
  user: string | undefined;
  /** `allowedUsers` of the target: what a Process or Job may pick with its own `user`. */
  allowedUsers: readonly string[];
  /** Wheelhouse's own uid (undefined where there are no uids). */
  engineUid: number | undefined;
  log: Logger;
  lookup?: (spec: string) => WorkloadUser | undefined;
}

/**
 * Decides who each workload of a target runs as. When Wheelhouse runs as root, workloads run as
 * the target's `user` (default `nobody`), or as the `user` of their spec when the target lists it
 * in `allowedUsers`; they can then read nothing of Wheelhouse's data dir. Otherwise they run as
 * Wheelhouse's own user, and `check` warns that they are not separated.
 */
export class WorkloadUsers {
  private readonly lookup: (spec: string) => WorkloadUser | undefined;

  constructor(private readonly options: WorkloadUserOptions) {
    this.lookup = options.lookup ?? createCachedLookup();
  }

  /** True when workloads run as another user than Wheelhouse. */
  get separated(): boolean {
    const user = this.targetUser();
    return user !== undefined && user.uid !== this.options.engineUid;
  }

  /** At driver start: refuses a user that does not exist or cannot be switched to; warns when not separated. */
  check(): void {
    const { target, engineUid, log } = this.options;
    const user = this.targetUser();
    for (const allowed of this.options.allowedUsers) this.resolve(allowed, `targets.${target}.allowedUsers`);
    if (user === undefined) {
      log.warn(
        { target, uid: engineUid },
        `target ${target}: Wheelhouse does not run as root (uid ${engineUid ?? 'unknown'}), so workloads run as its own user ` +
          'and can read everything it can: the data dir with the admin token, the database and the git mirrors. ' +
          'Run Wheelhouse as root (workloads then run as an unprivileged user, see targets.<name>.user), ' +
          'or as a dedicated user that owns nothing else',
      );
    } else if (user.uid === 0) {
      log.warn(
        { target },
        `target ${target}: workloads run as root (targets.${target}.user is ${user.name}); they can read the admin token ` +
          'and the database in the data dir. Set user to an unprivileged user unless you mean it',
      );
    } else {
      log.info(
        { target, user: user.name, uid: user.uid, gid: user.gid },
        `target ${target}: workloads run as ${user.name}`,
      );
    }
  }

  /**
   * Who a workload with `specUser` runs as; undefined: as Wheelhouse itself (not root). Throws a
   * refusal naming the resource when the spec asks for a user the target does not allow.
   */
  forSpec(specUser: string | undefined, where: { app: string; resource: string }): WorkloadUser | undefined {
    const { target, allowedUsers } = this.options;
    const base = this.targetUser();
    if (specUser === undefined) return base;
    const wanted = this.resolve(specUser, `spec.user of ${where.resource}`, where);
    if (base === undefined && wanted.uid !== this.options.engineUid) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `${where.resource} (app ${where.app}) asks to run as ${specUser} (spec.user), but Wheelhouse does not run as root ` +
          'and cannot switch users; remove spec.user or run Wheelhouse as root',
        { details: { ...where, path: 'spec.user' } },
      );
    }
    const allowed = [base?.uid, ...allowedUsers.map((name) => this.lookup(name)?.uid)];
    if (!allowed.includes(wanted.uid)) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `${where.resource} (app ${where.app}) asks to run as ${specUser} (spec.user, uid ${wanted.uid}), which target ${target} ` +
          `does not allow; an admin adds it to targets.${target}.allowedUsers in wheelhouse.yaml, or remove spec.user`,
        { details: { ...where, path: 'spec.user' } },
      );
    }
    return wanted;
  }

  private targetUser(): WorkloadUser | undefined {
    const { user, engineUid, target } = this.options;
    if (user === undefined && engineUid !== 0) return undefined;
    const resolved = this.resolve(user ?? DEFAULT_WORKLOAD_USER, `targets.${target}.user`);
    if (engineUid !== 0 && resolved.uid !== engineUid) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `targets.${target}.user is ${resolved.name}, but Wheelhouse runs as uid ${engineUid ?? 'unknown'}, not root, ` +
          'and cannot switch users; run Wheelhouse as root, or remove the option',
        { details: { path: `targets.${target}.user` } },
      );
    }
    return resolved;
  }

  private resolve(spec: string, field: string, where?: { app: string; resource: string }): WorkloadUser {
    const user = this.lookup(spec);
    if (user) return user;
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `${field}: there is no user ${spec} in /etc/passwd on this host; create it (e.g. useradd --system ${spec}) ` +
        'or give a numeric uid such as 1001 or 1001:1001',
      { details: { ...where, path: field } },
    );
  }
}
