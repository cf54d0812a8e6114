import { z } from 'zod';
import type { KindDefinition } from '../../core/index.js';
import {
  commandSchema,
  cwdSourcePaths,
  envMap,
  noEnvOverlap,
  parserFor,
  relativePath,
  secretEnvMap,
  sourceTreesField,
  userField,
} from './kind-common.js';

export const STOP_SIGNALS = [
  'SIGTERM',
  'SIGINT',
  'SIGQUIT',
  'SIGHUP',
  'SIGUSR1',
  'SIGUSR2',
  'SIGKILL',
] as const;

/** A port, or a string that becomes one once `${WHEELHOUSE_REPLICA}` is expanded. */
const portSchema = z.union(
  [
    z.number().int().min(1).max(65535),
    z.string().regex(/^[0-9]*(\$\{WHEELHOUSE_REPLICA\}[0-9]*)+$|^[0-9]+$/, 'must be a port number'),
  ],
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder users write in manifests
    error: 'must be a port number (1-65535), or a string such as "808${WHEELHOUSE_REPLICA}"',
  },
);

const httpCheck = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8080/healthz'),
  /** Absent: any 2xx or 3xx answer is healthy. */
  expectStatus: z.number().int().min(100).max(599).optional(),
});

const tcpCheck = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: portSchema,
});

const execCheck = z.strictObject({ command: commandSchema });

const healthSchema = z
  .strictObject({
    http: httpCheck.optional(),
    tcp: tcpCheck.optional(),
    exec: execCheck.optional(),
    periodSeconds: z.number().positive().default(2),
    timeoutSeconds: z.number().positive().default(2),
    failureThreshold: z.number().int().min(1).default(3),
    /** How long a starting replica may fail its check (and stay Progressing) before it is Degraded. */
    startupSeconds: z.number().positive().default(60),
  })
  .superRefine((health, ctx) => {
    const set = (['http', 'tcp', 'exec'] as const).filter((k) => health[k] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          set.length === 0
            ? 'set one check: http, tcp or exec (or remove health: a process that stays up is healthy)'
            : `set only one check; found ${set.join(' and ')}`,
      });
    }
  });

export const processSpecSchema = z
  .strictObject({
    command: commandSchema,
    cwd: relativePath('cwd').default('.'),
    sourceTrees: sourceTreesField,
    env: envMap.default({}),
    secretEnv: secretEnvMap.default({}),
    /** Run as this user instead of the target's (must be in the target's `allowedUsers`). */
    user: userField,
    replicas: z.number().int().min(0).max(1000).default(1),
    health: healthSchema.optional(),
    restart: z
      .enum(['always', 'on-failure', 'never'], { error: 'must be one of always, on-failure, never' })
      .default('always'),
    stopSignal: z
      .enum(STOP_SIGNALS, { error: `must be one of ${STOP_SIGNALS.join(', ')}` })
      .default('SIGTERM'),
    stopTimeoutSeconds: z.number().min(0).max(3600).default(10),
  })
  .superRefine(noEnvOverlap);

export type ProcessSpec = z.output<typeof processSpecSchema>;
export type HealthSpec = NonNullable<ProcessSpec['health']>;

export const processKind: KindDefinition = {
  kind: 'Process',
  description: 'A long-running local process (replicas, health checks, restarts, rotated logs).',
  parse: parserFor(processSpecSchema),
  order: 30,
  sourcePaths: cwdSourcePaths,
};
