import { z } from 'zod';
import { absolutePath, byteSize, engineObjectName } from './common.js';

/** A Linux capability as Docker takes it: `NET_ADMIN` or `CAP_NET_ADMIN`, or `ALL`. */
const capability = z
  .string()
  .regex(/^(CAP_)?[A-Z][A-Z0-9_]*$/, 'must be a capability name such as NET_ADMIN or SYS_PTRACE');

const hostName = z
  .string()
  .regex(
    /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?$/,
    'must be a host name: letters, digits, "." and "-"',
  );

const device = z.strictObject({
  hostPath: absolutePath,
  containerPath: absolutePath,
  /** `r`, `w`, `m` in any combination. */
  permissions: z
    .string()
    .regex(/^[rwm]{1,3}$/, 'must be made of r, w and m')
    .default('rwm'),
});

const ulimit = z
  .strictObject({ soft: z.number().int(), hard: z.number().int() })
  .refine((limit) => limit.soft <= limit.hard, { message: 'soft must not exceed hard' });

/** `host:address` entries for /etc/hosts. */
const extraHost = z.string().regex(/^[^:\s]+:\S+$/, 'must be HOST:ADDRESS such as "db.local:10.0.0.5"');

/**
 * Container fields about the host the container runs on and the way it is started: identity,
 * privileges, kernel settings, devices, name resolution and logging. Every field is optional or
 * defaults to what the engine does when it is absent, so specs without them hash as before.
 */
export const containerHostFields = {
  /** A fixed engine name for the container (compose `container_name`): one replica, stop-first updates. */
  containerName: engineObjectName.optional(),
  hostname: hostName.optional(),
  domainname: hostName.optional(),
  /** Ports the container listens on, published to nothing (compose `expose`). */
  expose: z
    .array(
      z.strictObject({
        containerPort: z.number().int().min(1).max(65535),
        protocol: z.enum(['tcp', 'udp']).default('tcp'),
      }),
    )
    .optional(),
  capAdd: z.array(capability).optional(),
  capDrop: z.array(capability).optional(),
  /** Namespaced kernel parameters such as `net.core.somaxconn`. */
  sysctls: z.record(z.string().regex(/^[a-z0-9_./-]+$/, 'must be a sysctl name'), z.string()).optional(),
  stdinOpen: z.boolean().optional(),
  tty: z.boolean().optional(),
  /** `os[/arch[/variant]]`, e.g. `linux/amd64`. */
  platform: z
    .string()
    .regex(/^[a-z0-9]+(\/[a-z0-9_]+){0,2}$/, 'must be os/arch such as linux/amd64')
    .optional(),
  /** An OCI runtime the engine knows (`runc`, `crun`, `runsc`). */
  runtime: z.string().min(1).optional(),
  /** Allowed only on targets whose options say `allowPrivileged: true`. */
  privileged: z.boolean().optional(),
  devices: z.array(device).optional(),
  shmSize: byteSize.optional(),
  ulimits: z.record(z.string().regex(/^[a-z]+$/, 'must be a limit name such as nofile'), ulimit).optional(),
  extraHosts: z.array(extraHost).optional(),
  dns: z.array(z.union([z.ipv4(), z.ipv6()])).optional(),
  dnsSearch: z.array(z.string().min(1)).optional(),
  dnsOptions: z.array(z.string().min(1)).optional(),
  /** Run an init process as PID 1 (reaps zombies, forwards signals). */
  init: z.boolean().optional(),
  logging: z
    .strictObject({
      driver: z.string().min(1),
      options: z.record(z.string(), z.string()).default({}),
    })
    .optional(),
};
