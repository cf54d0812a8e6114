import type Docker from 'dockerode';
import { applyHostSettings, endpointConfig } from './container-host-config.js';
import type { ContainerSpec } from './kinds/index.js';
import { LABEL } from './labels.js';

/** Engine names of an app's objects, compose style: `<namespace>_<name>` for networks and volumes. */
export const objectName = (namespace: string, name: string): string => `${namespace}_${name}`;

/**
 * `<namespace>-<name>-<replica>-<hash8>`: unique per spec, so a new replica can start beside the
 * old (a spec's `containerName` replaces it; see container-apply.ts).
 */
export const containerName = (namespace: string, name: string, replica: number, hash: string): string =>
  `${namespace}-${name}-${replica}-${hash.slice(0, 8)}`;

export interface NetworkAttachment {
  network: string;
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
}

/** The engine networks a container joins, in order (the first is given at create time). */
export function networkAttachments(
  spec: ContainerSpec,
  namespace: string,
  resourceName: string,
): NetworkAttachment[] {
  return spec.networks.map((n) => ({
    network: n.external ? n.name : objectName(namespace, n.name),
    aliases: [...new Set([resourceName, ...n.aliases])],
    ...(n.ipv4Address === undefined ? {} : { ipv4Address: n.ipv4Address }),
    ...(n.ipv6Address === undefined ? {} : { ipv6Address: n.ipv6Address }),
  }));
}

export interface CreateInput {
  name: string;
  spec: ContainerSpec;
  namespace: string;
  resourceName: string;
  /** Ownership labels (see labels.ts) plus the replica index. */
  ownership: Record<string, string>;
  replica: number;
  /** Values of `secretEnv`, resolved at apply time; they go into the container's env only. */
  secretValues: Readonly<Record<string, string>>;
  /** The image reference to run: the spec's, or the digest it resolved to when this tree last ran. */
  image: string;
  /** The engine user's home, for bind sources written `~/...`. */
  home: string;
  /** Where each `repo` mount's source was copied (repo-mounts.ts). */
  repoPaths?: Readonly<Record<string, string>>;
}

/** The Docker Engine API body that creates one replica. Pure. */
export function createOptions(input: CreateInput): Docker.ContainerCreateOptions {
  const { spec, namespace } = input;
  const env = { ...spec.env, ...input.secretValues };
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    const id = `${port.containerPort}/${port.protocol}`;
    exposed[id] = {};
    const list = bindings[id] ?? [];
    list.push({ HostIp: port.hostIp, HostPort: port.hostPort === undefined ? '' : String(port.hostPort) });
    bindings[id] = list;
  }
  const mounts = spec.volumes.map((m): Docker.MountSettings => {
    if (m.type === 'bind') {
      const source = m.source.startsWith('~')
        ? `${input.home.replace(/\/+$/, '')}${m.source.slice(1)}`
        : m.source;
      return { Type: 'bind', Source: source, Target: m.target, ReadOnly: m.readOnly };
    }
    if (m.type === 'repo') {
      return {
        Type: 'bind',
        Source: input.repoPaths?.[m.source] ?? '',
        Target: m.target,
        ReadOnly: m.readOnly,
      };
    }
    if (m.type === 'env') {
      return {
        Type: 'bind',
        Source: input.repoPaths?.[`env:${m.fromEnv}`] ?? '',
        Target: m.target,
        ReadOnly: true,
      };
    }
    if (m.type === 'tmpfs') {
      return m.size === undefined
        ? { Type: 'tmpfs', Source: '', Target: m.target }
        : { Type: 'tmpfs', Source: '', Target: m.target, TmpfsOptions: { SizeBytes: m.size, Mode: 0o1777 } };
    }
    const source =
      m.source === undefined ? undefined : m.external ? m.source : objectName(namespace, m.source);
    // An empty source asks the engine for an anonymous volume.
    return { Type: 'volume', Source: source ?? '', Target: m.target, ReadOnly: m.readOnly };
  });
  const attachments = networkAttachments(spec, namespace, input.resourceName);
  const first = attachments[0];
  const hostConfig: Docker.HostConfig = {
    PortBindings: bindings,
    Mounts: mounts,
    RestartPolicy:
      spec.restartMaxRetries === undefined
        ? { Name: spec.restart }
        : { Name: spec.restart, MaximumRetryCount: spec.restartMaxRetries },
    NetworkMode: first ? first.network : spec.networkMode,
  };
  if (spec.memory !== undefined) hostConfig.Memory = spec.memory;
  if (spec.cpus !== undefined) hostConfig.NanoCpus = Math.round(spec.cpus * 1e9);
  const options: Docker.ContainerCreateOptions = {
    name: input.name,
    Image: input.image,
    Env: Object.entries(env)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`),
    Labels: { ...spec.labels, ...input.ownership, [LABEL.replica]: String(input.replica) },
    ExposedPorts: exposed,
    HostConfig: hostConfig,
    StopTimeout: spec.stopTimeoutSeconds,
  };
  if (spec.command) options.Cmd = spec.command;
  if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
  if (spec.user) options.User = spec.user;
  if (spec.workingDir) options.WorkingDir = spec.workingDir;
  if (spec.stopSignal) options.StopSignal = spec.stopSignal;
  if (spec.healthcheck) {
    const h = spec.healthcheck;
    options.Healthcheck = {
      Test: h.test,
      Interval: Math.round(h.intervalSeconds * 1e9),
      Timeout: Math.round(h.timeoutSeconds * 1e9),
      Retries: h.retries,
      StartPeriod: Math.round(h.startPeriodSeconds * 1e9),
      ...(h.startIntervalSeconds === undefined
        ? {}
        : { StartInterval: Math.round(h.startIntervalSeconds * 1e9) }),
    };
  }
  if (first) options.NetworkingConfig = { EndpointsConfig: { [first.network]: endpointConfig(first) } };
  applyHostSettings(spec, options, hostConfig);
  return options;
}

/**
 * True when the spec claims something only one container can hold — a fixed host port, the
 * host's network, a container name or a static address — so an update stops the old one first.
 */
export function claimsHostPorts(spec: ContainerSpec): boolean {
  return (
    spec.networkMode === 'host' ||
    spec.ports.some((p) => p.hostPort !== undefined) ||
    spec.containerName !== undefined ||
    spec.networks.some((n) => n.ipv4Address !== undefined || n.ipv6Address !== undefined)
  );
}
