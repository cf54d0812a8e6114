import { z } from 'zod';
import { absolutePath, byteSize, engineObjectName, resourceName, userLabels } from './common.js';
import { containerHostFields } from './container-host.js';
import { defineKind } from './define-kind.js';

const envName = z.string().regex(/^[^=\0]+$/, 'must be a variable name without "=" or NUL');

const port = z.strictObject({
  containerPort: z.number().int().min(1).max(65535),
  /** Absent: the engine picks a free host port. */
  hostPort: z.number().int().min(1).max(65535).optional(),
  /** Loopback unless said otherwise: publishing on every interface is a choice, not a default. */
  hostIp: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
});

const mount = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('volume'),
    /** A Volume resource of this app, or with `external` an existing volume's name; absent = anonymous. */
    source: engineObjectName.optional(),
    target: absolutePath,
    readOnly: z.boolean().default(false),
    external: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('bind'),
    /** An absolute host path, or `~/...`: the home of the user Wheelhouse runs as (as Compose reads it). */
    source: z
      .string()
      .regex(/^(\/|~(\/|$))/, 'must be an absolute host path (starting with "/") or start with "~/"'),
    target: absolutePath,
    readOnly: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('repo'),
    /** A file or directory of the repository (repo-relative), copied at the synced revision and bind-mounted. */
    source: z.string().min(1),
    target: absolutePath,
    readOnly: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('env'),
    /** A file holding this variable of Wheelhouse's environment, read at apply time (compose's `environment:` secrets). */
    fromEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
    target: absolutePath,
  }),
  z.strictObject({
    type: z.literal('tmpfs'),
    target: absolutePath,
    size: byteSize.optional(),
  }),
]);

const networkRef = z.strictObject({
  /** A Network resource of this app, or with `external` an existing network's name. */
  name: engineObjectName,
  aliases: z.array(z.string().min(1)).default([]),
  external: z.boolean().default(false),
  /** A static address on this network (its subnet comes from the Network's ipam). */
  ipv4Address: z.ipv4({ message: 'must be an IPv4 address such as 172.28.0.10' }).optional(),
  ipv6Address: z.ipv6({ message: 'must be an IPv6 address such as fd00::10' }).optional(),
});

const healthcheck = z.strictObject({
  /** Docker's form: `["CMD", "prog", "arg"]`, `["CMD-SHELL", "command line"]` or `["NONE"]`. */
  test: z
    .array(z.string())
    .min(1)
    .refine((test) => ['CMD', 'CMD-SHELL', 'NONE'].includes(test[0] ?? ''), {
      message: 'must start with "CMD", "CMD-SHELL" or "NONE"',
    })
    .refine((test) => test[0] === 'NONE' || test.length > 1, { message: 'names no command to run' }),
  intervalSeconds: z.number().positive().default(30),
  timeoutSeconds: z.number().positive().default(30),
  retries: z.number().int().min(1).default(3),
  startPeriodSeconds: z.number().min(0).default(0),
  /** How often to check during the start period (Docker Engine 25+; older engines ignore it). */
  startIntervalSeconds: z.number().positive().optional(),
});

/**
 * An image built on the target engine from a directory of the repository at the synced revision
 * (compose's `build:`); `context` is repo-relative, its tree id lands in `sourceTrees`.
 */
const build = z.strictObject({
  context: z.string().min(1),
  dockerfile: z.string().min(1).default('Dockerfile'),
  args: z.record(z.string(), z.string()).default({}),
  target: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).default({}),
});

export const containerSchema = z
  .strictObject({
    /** With `build`, the name the built image is tagged with (its tag is the context's tree id). */
    image: z.string().min(1).optional(),
    build: build.optional(),
    sourceTrees: z.record(z.string(), z.string()).optional(),
    command: z.array(z.string()).optional(),
    entrypoint: z.array(z.string()).optional(),
    env: z
      .record(
        envName,
        z.string().refine((value) => !value.includes('\0'), {
          message:
            'must not contain a NUL character (\\0): containers cannot receive it — remove it from the value',
        }),
      )
      .default({}),
    /** Values read from the engine's environment at apply time; only the names are stored. */
    secretEnv: z.record(envName, z.strictObject({ fromEnv: envName })).default({}),
    ports: z.array(port).default([]),
    volumes: z.array(mount).default([]),
    networks: z.array(networkRef).default([]),
    networkMode: z.enum(['bridge', 'host', 'none']).default('bridge'),
    labels: userLabels,
    restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).default('no'),
    restartMaxRetries: z.number().int().min(1).optional(),
    healthcheck: healthcheck.optional(),
    user: z.string().min(1).optional(),
    workingDir: absolutePath.optional(),
    memory: byteSize.optional(),
    cpus: z.number().positive().optional(),
    replicas: z.number().int().min(0).default(1),
    pullPolicy: z.enum(['IfNotPresent', 'Always']).default('IfNotPresent'),
    stopSignal: z
      .string()
      .regex(/^(SIG[A-Z0-9]+|\d+)$/, 'must be a signal name such as SIGTERM, or a number')
      .optional(),
    stopTimeoutSeconds: z.number().int().min(0).default(10),
    ...containerHostFields,
  })
  .superRefine((spec, ctx) => {
    if (spec.image === undefined && spec.build === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['image'],
        message: 'is required — name the image to run, or give a build',
      });
    for (const name of Object.keys(spec.secretEnv)) {
      if (name in spec.env) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretEnv', name],
          message: `"${name}" is set in both env and secretEnv; keep one`,
        });
      }
    }
    if (spec.networkMode !== 'bridge' && spec.networks.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['networks'],
        message: `networks need networkMode bridge (it is ${spec.networkMode}); remove one of them`,
      });
    }
    if (spec.networkMode !== 'bridge' && spec.ports.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ports'],
        message: `ports are published only with networkMode bridge (it is ${spec.networkMode}); with host the container binds host ports itself`,
      });
    }
    if (spec.containerName !== undefined && spec.replicas > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['containerName'],
        message: `one container name cannot serve ${spec.replicas} replicas; remove containerName or use replicas: 1`,
      });
    }
    if (spec.restartMaxRetries !== undefined && spec.restart !== 'on-failure') {
      ctx.addIssue({
        code: 'custom',
        path: ['restartMaxRetries'],
        message: 'only applies with restart: on-failure',
      });
    }
    spec.networks.forEach((network, i) => {
      if (!network.external && !resourceName.safeParse(network.name).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['networks', i, 'name'],
          message: 'must name a Network resource of this app (a DNS label), or set external: true',
        });
      }
    });
    spec.volumes.forEach((volume, i) => {
      if (volume.type !== 'volume') return;
      if (volume.source === undefined && volume.external) {
        ctx.addIssue({
          code: 'custom',
          path: ['volumes', i, 'source'],
          message: 'an external volume needs a source',
        });
      } else if (
        volume.source !== undefined &&
        !volume.external &&
        !resourceName.safeParse(volume.source).success
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['volumes', i, 'source'],
          message: 'must name a Volume resource of this app (a DNS label), or set external: true',
        });
      }
    });
    const published = new Set<string>();
    spec.ports.forEach((p, i) => {
      if (p.hostPort === undefined) return;
      const id = `${p.hostIp}:${p.hostPort}/${p.protocol}`;
      if (published.has(id)) {
        ctx.addIssue({ code: 'custom', path: ['ports', i, 'hostPort'], message: `${id} is published twice` });
      }
      published.add(id);
      if (spec.replicas > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['ports', i, 'hostPort'],
          message: `a fixed host port cannot serve ${spec.replicas} replicas; drop hostPort or use replicas: 1`,
        });
      }
    });
  });

export type ContainerSpec = z.output<typeof containerSchema>;
export type PortSpec = ContainerSpec['ports'][number];
export type MountSpec = ContainerSpec['volumes'][number];

export const containerKind = defineKind(
  'Container',
  'A container (or several replicas) run from an image, with env, ports, volumes and a healthcheck',
  20,
  containerSchema,
  {
    sourcePaths: (spec) => [
      ...(isBuild(spec.build) ? [spec.build.context] : []),
      ...repoSources(spec.volumes),
    ],
  },
);

function repoSources(volumes: unknown): string[] {
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((m: { type?: unknown; source?: unknown }) =>
    m.type === 'repo' && typeof m.source === 'string' ? [m.source] : [],
  );
}

function isBuild(value: unknown): value is { context: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { context?: unknown }).context === 'string'
  );
}
