import { childEnv, type EnvSpec, readSecrets } from './child-env.js';
import type { WorkloadUser, WorkloadUsers } from './workload-user.js';

/** What starting a workload needs from its driver. */
export interface LaunchHost {
  /** The engine's environment, where `secretEnv` values are read from. */
  env: Readonly<Record<string, string | undefined>>;
  users: WorkloadUsers;
  /** The driver's clock (DriverDeps.now): every time the driver records or compares comes from it. */
  now(): Date;
  /** Variables holding Wheelhouse's own secrets (from wheelhouse.yaml), never given to workloads. */
  reservedEnv(): readonly string[];
}

export interface Launch {
  env: Record<string, string>;
  /** Undefined: runs as Wheelhouse's own user. */
  user: WorkloadUser | undefined;
}

/**
 * Who a workload runs as and its whole environment; throws (naming the resource) for a missing
 * or reserved secret or a user the target does not allow, before anything is started.
 */
export function prepareLaunch(
  host: LaunchHost,
  spec: EnvSpec & { user?: string | undefined },
  where: { app: string; resource: string },
  replica?: number,
): Launch {
  const user = host.users.forSpec(spec.user, where);
  const secrets = readSecrets(spec, host.env, where, host.reservedEnv());
  const separated = user !== undefined && user.uid !== process.getuid?.();
  return { env: childEnv(spec, secrets, host.env, replica, separated ? user.home : undefined), user };
}
