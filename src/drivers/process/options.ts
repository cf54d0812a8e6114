import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { WheelhouseError } from '../../core/index.js';

const ms = (fallback: number) => z.number().int().min(1).default(fallback);

/** Target options of `driver: process` in wheelhouse.yaml; every default lives here. */
const optionsSchema = z.strictObject({
  /** Directory File paths are relative to; default `<stateDir>/files`. */
  root: z.string().min(1).optional(),
  /** A log file larger than this is rotated (copy to `.1`, then truncated). */
  logMaxBytes: z
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Rotated copies kept (`.1` … `.N`). */
  logMaxFiles: z.number().int().min(0).max(100).default(3),
  /** How often the supervisor checks liveness of re-adopted processes and log sizes. */
  pollIntervalMs: ms(500),
  /** First restart delay after a crash; doubles per consecutive crash up to `backoffMaxMs`. */
  backoffInitialMs: ms(1000),
  backoffMaxMs: ms(30_000),
  /** Consecutive crashes after which a replica is reported Degraded (crash loop). */
  crashLoopThreshold: z.number().int().min(1).default(3),
  /** A replica up this long has its crash count reset. */
  stableAfterMs: ms(30_000),
  /** Without a health check, a process that stays up this long is Healthy. */
  minUptimeMs: ms(1000),
  /** Probe interval while a replica is starting (before its first passing check). */
  startupProbeIntervalMs: ms(100),
  /** Log lines shown in crash messages, roll failures and Job results. */
  logTailLines: z.number().int().min(1).max(1000).default(20),
  /** Poll interval of `logs(…, {follow: true})`. */
  followIntervalMs: ms(250),
  /**
   * Who workloads run as when Wheelhouse runs as root: a user name, a uid, or `uid:gid`;
   * default `nobody` (see workload-user.ts). Without root, workloads run as Wheelhouse's user.
   */
  user: z.string().min(1).optional(),
  /** Users a Process or Job may pick with its own `spec.user` (an admin's decision). */
  allowedUsers: z.array(z.string().min(1)).default([]),
  /** With several replicas: the id of the one replica that applies this target (the engine reads it). */
  host: z.string().min(1).optional(),
});

export type ProcessDriverOptions = Omit<z.output<typeof optionsSchema>, 'root'> & { root: string };

/** Validates the target's options; throws CONFIG_INVALID naming the target and the field. */
export function parseOptions(
  target: string,
  stateDir: string,
  raw: Record<string, unknown>,
): ProcessDriverOptions {
  const result = optionsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      const text =
        issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message;
      return field ? `${field}: ${text}` : text;
    });
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `target ${target} (driver process) has invalid options: ${problems.join('; ')}. Fix targets.${target} in wheelhouse.yaml`,
      { details: { path: `targets.${target}` } },
    );
  }
  const { root, ...rest } = result.data;
  const base = resolve(stateDir || '.');
  return {
    ...rest,
    root: root === undefined ? join(base, 'files') : isAbsolute(root) ? root : resolve(base, root),
  };
}
