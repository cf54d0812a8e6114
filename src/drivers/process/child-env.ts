import { WheelhouseError } from '../../core/index.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder users write in manifests
const REPLICA_VAR = '${WHEELHOUSE_REPLICA}';
const INHERITED = ['PATH', 'HOME', 'LANG'] as const;
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Replaces every `${WHEELHOUSE_REPLICA}` in the strings of a value (deeply). */
export function expandReplica<T>(value: T, replica: number): T {
  if (typeof value === 'string') return value.replaceAll(REPLICA_VAR, String(replica)) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => expandReplica(item, replica)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandReplica(v, replica);
    return out as T;
  }
  return value;
}

export interface EnvSpec {
  env: Record<string, string>;
  secretEnv: Record<string, { fromEnv: string }>;
}

/** Wheelhouse's own variables (tokens, data dir, store URL): never a workload's secret. */
const ENGINE_PREFIX = 'WHEELHOUSE_';

/**
 * The values of `secretEnv`, read from the engine's environment now. A missing variable is an
 * error naming the resource and the variable (never a value); so is one of Wheelhouse's own
 * secrets (`WHEELHOUSE_*` and the variables wheelhouse.yaml names for chat tokens and webhook
 * secrets, given as `reserved`): a manifest must not be able to hand those to its workload.
 */
export function readSecrets(
  spec: EnvSpec,
  source: Readonly<Record<string, string | undefined>>,
  where: { app: string; resource: string },
  reserved: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(spec.secretEnv)) {
    if (ref.fromEnv.toUpperCase().startsWith(ENGINE_PREFIX) || reserved.includes(ref.fromEnv)) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `${where.resource} (app ${where.app}): secretEnv.${name} reads ${ref.fromEnv}, which holds one of Wheelhouse's own ` +
          'secrets (WHEELHOUSE_* or a chat token or webhook secret named in wheelhouse.yaml); workloads never get those. ' +
          'Give the workload its own variable',
        {
          details: {
            app: where.app,
            resource: where.resource,
            path: `spec.secretEnv.${name}`,
            envVar: ref.fromEnv,
          },
        },
      );
    }
    const value = source[ref.fromEnv];
    if (value === undefined) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `${where.resource} (app ${where.app}): secretEnv.${name} reads the environment variable ${ref.fromEnv}, ` +
          "which is not set in Wheelhouse's environment; set it where Wheelhouse runs, then sync again",
        {
          details: {
            app: where.app,
            resource: where.resource,
            path: `spec.secretEnv.${name}`,
            envVar: ref.fromEnv,
          },
        },
      );
    }
    out[name] = value;
  }
  return out;
}

/**
 * A child's environment: PATH, HOME and LANG from the engine (HOME is the workload user's home
 * when it runs as another user), then `env` (with the replica expanded), then the secrets, then
 * `WHEELHOUSE_REPLICA` for replicas of a Process. Nothing else of the engine's environment.
 */
export function childEnv(
  spec: EnvSpec,
  secrets: Record<string, string>,
  base: Readonly<Record<string, string | undefined>>,
  replica?: number,
  home?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = base[name];
    if (value !== undefined) out[name] = value;
  }
  out.PATH ??= DEFAULT_PATH;
  if (home !== undefined) out.HOME = home;
  const env = replica === undefined ? spec.env : expandReplica(spec.env, replica);
  Object.assign(out, env, secrets);
  if (replica !== undefined) out.WHEELHOUSE_REPLICA = String(replica);
  return out;
}

/** Replaces every secret value in `text` with `***` (log lines shown to people). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.replaceAll(secret, '***');
  return out;
}

/** The secret values a spec would receive now, for redaction (missing ones are skipped). */
export function secretValues(spec: EnvSpec, source: Readonly<Record<string, string | undefined>>): string[] {
  return Object.values(spec.secretEnv)
    .map((ref) => source[ref.fromEnv])
    .filter((value): value is string => value !== undefined && value !== '');
}
