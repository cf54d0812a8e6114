import { DURATION_HINT, parseDuration } from '../../util/index.js';
import type { YamlPath } from '../yaml/index.js';
import { readLabels } from './labels.js';
import type { Reader } from './reader.js';
import type { ProjectRefs } from './refs.js';
import { readFileMounts } from './secrets-configs.js';
import { readBuild } from './service-build.js';
import { type EnvSources, readEnvironment } from './service-environment.js';
import { readHealthcheck } from './service-healthcheck.js';
import { HOST_KEYS, HOST_SPEC_SOURCE, readHostKeys } from './service-host.js';
import { readPorts } from './service-ports.js';
import { readMounts } from './service-volumes.js';
import { shellWords } from './shell-words.js';

/** Service keys Wheelhouse turns into a Container spec. */
export const SERVICE_KEYS = [
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'volumes',
  'networks',
  'network_mode',
  'depends_on',
  'healthcheck',
  'restart',
  'labels',
  'deploy',
  'scale',
  'user',
  'working_dir',
  'pull_policy',
  'stop_signal',
  'stop_grace_period',
  'mem_limit',
  'cpus',
  ...HOST_KEYS,
  'secrets',
  'configs',
  // Read before the service is (profiles.ts).
  'profiles',
] as const;

const REFUSED: Readonly<Record<string, string>> = {};

/** Which spec field came from which compose key, so later spec errors point at the right line. */
export const SPEC_SOURCE: Readonly<Record<string, readonly string[]>> = {
  image: ['image'],
  build: ['build'],
  command: ['command'],
  entrypoint: ['entrypoint'],
  env: ['environment', 'env_file'],
  secretEnv: ['environment', 'env_file'],
  ports: ['ports'],
  volumes: ['volumes', 'secrets', 'configs'],
  networks: ['networks'],
  networkMode: ['network_mode'],
  labels: ['labels'],
  restart: ['restart'],
  restartMaxRetries: ['restart'],
  healthcheck: ['healthcheck'],
  user: ['user'],
  workingDir: ['working_dir'],
  memory: ['deploy', 'mem_limit'],
  cpus: ['deploy', 'cpus'],
  replicas: ['deploy', 'scale'],
  pullPolicy: ['pull_policy'],
  stopSignal: ['stop_signal'],
  stopTimeoutSeconds: ['stop_grace_period'],
  ...HOST_SPEC_SOURCE,
};

export interface ServiceInput {
  reader: Reader;
  /** The Compose service name, and the resource name derived from it (names.ts). */
  name: string;
  resourceName: string;
  service: Record<string, unknown>;
  refs: ProjectRefs;
  env: EnvSources;
}

/** One compose service -> a Container spec (validated and defaulted later by the Container kind). */
export function serviceSpec(input: ServiceInput): Record<string, unknown> {
  const { reader, name, service, refs } = input;
  const path: YamlPath = ['services', name];
  reader.checkKeys(path, service, SERVICE_KEYS, REFUSED);
  const spec: Record<string, unknown> = {};
  const at = (key: string): YamlPath => [...path, key];

  if (service.image === undefined) {
    if (service.build === undefined)
      reader.issue(path, `service "${name}" has no image — set image: to the image to run`, 'key');
  } else {
    const image = reader.text(at('image'), service.image, 'an image reference such as nginx:1.27');
    if (image !== undefined) spec.image = image;
  }
  if (service.build !== undefined) {
    const build = readBuild(reader, at('build'), service.build, input.env.dir);
    if (build) spec.build = build;
  }
  for (const key of ['command', 'entrypoint'] as const) {
    const value = service[key];
    if (value === undefined || value === null) continue;
    const words = commandWords(reader, at(key), value);
    if (words) spec[key] = words;
  }
  const env = readEnvironment(reader, path, service, input.env);
  spec.env = env.env;
  spec.secretEnv = env.secretEnv;
  if (service.ports !== undefined) spec.ports = readPorts(reader, at('ports'), service.ports);
  if (service.volumes !== undefined) spec.volumes = readMounts(reader, at('volumes'), service.volumes, refs);
  for (const kind of ['secrets', 'configs'] as const) {
    if (service[kind] === undefined) continue;
    const mounts = readFileMounts(reader, at(kind), service[kind], kind, refs[kind] ?? new Map());
    spec.volumes = [...((spec.volumes as unknown[] | undefined) ?? []), ...mounts];
  }
  readNetworking(input, spec);
  if (service.labels !== undefined) spec.labels = readLabels(reader, at('labels'), service.labels);
  if (service.restart !== undefined) readRestart(reader, at('restart'), service.restart, spec);
  if (service.healthcheck !== undefined) {
    const healthcheck = readHealthcheck(reader, at('healthcheck'), service.healthcheck);
    if (healthcheck) spec.healthcheck = healthcheck;
  }
  for (const [key, field] of [
    ['user', 'user'],
    ['working_dir', 'workingDir'],
    ['stop_signal', 'stopSignal'],
  ] as const) {
    if (service[key] === undefined) continue;
    const value = reader.text(at(key), service[key]);
    if (value !== undefined) spec[field] = value;
  }
  if (service.stop_grace_period !== undefined) {
    const ms =
      typeof service.stop_grace_period === 'string' ? parseDuration(service.stop_grace_period) : undefined;
    if (ms === undefined) reader.issue(at('stop_grace_period'), `must be a duration — ${DURATION_HINT}`);
    else spec.stopTimeoutSeconds = Math.ceil(ms / 1000);
  }
  if (
    service.pull_policy !== undefined &&
    !(service.pull_policy === 'build' && service.build !== undefined)
  ) {
    const policy = { always: 'Always', missing: 'IfNotPresent', if_not_present: 'IfNotPresent' }[
      String(service.pull_policy)
    ];
    if (policy) spec.pullPolicy = policy;
    else {
      reader.issue(
        at('pull_policy'),
        `pull_policy ${JSON.stringify(service.pull_policy)} is not supported — use always, missing or if_not_present, or build with a build: section`,
      );
    }
  }
  if (service.mem_limit !== undefined) {
    const memory =
      typeof service.mem_limit === 'number'
        ? service.mem_limit
        : reader.text(at('mem_limit'), service.mem_limit);
    if (memory !== undefined) spec.memory = memory;
  }
  if (service.cpus !== undefined) {
    const cpus = reader.positive(at('cpus'), service.cpus);
    if (cpus !== undefined) spec.cpus = cpus;
  }
  if (service.scale !== undefined) {
    const scale = reader.integer(at('scale'), service.scale, 0);
    if (scale !== undefined) spec.replicas = scale;
  }
  if (service.deploy !== undefined) readDeploy(reader, at('deploy'), service.deploy, spec);
  readHostKeys(reader, path, service, spec);
  return spec;
}

function commandWords(reader: Reader, path: YamlPath, value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    const words = shellWords(value);
    if (!Array.isArray(words)) {
      reader.issue(path, `${words.error} — fix the quoting, or write the command as a list`);
      return undefined;
    }
    return words;
  }
  return reader.strings(path, value);
}

function readNetworking(input: ServiceInput, spec: Record<string, unknown>): void {
  const { reader, service, refs, name } = input;
  const path: YamlPath = ['services', name];
  if (service.network_mode !== undefined) {
    const mode = service.network_mode;
    if (mode !== 'host' && mode !== 'none' && mode !== 'bridge') {
      reader.issue(
        [...path, 'network_mode'],
        `network_mode ${JSON.stringify(mode)} is not supported — use host, none or bridge, or networks:`,
      );
      return;
    }
    if (service.networks !== undefined) {
      reader.issue(
        [...path, 'networks'],
        'networks cannot be combined with network_mode — keep one of them',
        'key',
      );
      return;
    }
    spec.networkMode = mode;
    spec.networks = [];
    return;
  }
  const entries: { key: string; aliases: string[]; at: YamlPath; addresses?: Record<string, string> }[] = [];
  const networksPath = [...path, 'networks'];
  if (service.networks === undefined) entries.push({ key: 'default', aliases: [], at: path });
  else if (Array.isArray(service.networks)) {
    service.networks.forEach((entry, i) => {
      const key = reader.text([...networksPath, i], entry, 'a network name');
      if (key !== undefined) entries.push({ key, aliases: [], at: [...networksPath, i] });
    });
  } else {
    const map = reader.map(
      networksPath,
      service.networks,
      'a list of networks or a mapping of network: { aliases }',
    );
    if (!map) return;
    for (const [key, options] of Object.entries(map)) {
      const at = [...networksPath, key];
      if (options === null || options === undefined) {
        entries.push({ key, aliases: [], at });
        continue;
      }
      const settings = reader.map(at, options, 'a mapping such as { aliases: [api] }');
      if (!settings) continue;
      reader.checkKeys(at, settings, ['aliases', 'ipv4_address', 'ipv6_address']);
      const aliases =
        settings.aliases === undefined ? [] : reader.strings([...at, 'aliases'], settings.aliases);
      const addresses: Record<string, string> = {};
      for (const [from, to] of [
        ['ipv4_address', 'ipv4Address'],
        ['ipv6_address', 'ipv6Address'],
      ] as const) {
        if (settings[from] === undefined) continue;
        const address = reader.text([...at, from], settings[from], 'an IP address');
        if (address !== undefined) addresses[to] = address;
      }
      if (aliases) entries.push({ key, aliases, at, addresses });
    }
  }
  const networks: Record<string, unknown>[] = [];
  for (const entry of entries) {
    const declared = refs.networks.get(entry.key);
    if (!declared) {
      reader.issue(
        entry.at,
        `network "${entry.key}" is not declared — add it under the top-level networks: key`,
        'key',
      );
      continue;
    }
    if (declared.unusable) continue;
    const network: Record<string, unknown> = { name: declared.name };
    // Other services reach this one by its Compose name, as with docker compose.
    const aliases = input.resourceName === name ? entry.aliases : [...new Set([name, ...entry.aliases])];
    if (aliases.length > 0) network.aliases = aliases;
    Object.assign(network, entry.addresses);
    if (declared.external) network.external = true;
    networks.push(network);
  }
  spec.networks = networks;
}

function readRestart(reader: Reader, path: YamlPath, value: unknown, spec: Record<string, unknown>): void {
  const text = value === false ? 'no' : typeof value === 'string' ? value : undefined;
  const match = text === undefined ? null : /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(text);
  if (!match || (match[2] !== undefined && match[1] !== 'on-failure')) {
    reader.issue(path, 'must be "no", always, unless-stopped, on-failure or on-failure:N');
    return;
  }
  spec.restart = match[1];
  if (match[2] !== undefined && Number(match[2]) > 0) spec.restartMaxRetries = Number(match[2]);
}

function readDeploy(reader: Reader, path: YamlPath, value: unknown, spec: Record<string, unknown>): void {
  const deploy = reader.map(path, value);
  if (!deploy) return;
  reader.checkKeys(path, deploy, ['replicas', 'resources']);
  if (deploy.replicas !== undefined) {
    const replicas = reader.integer([...path, 'replicas'], deploy.replicas, 0);
    if (replicas !== undefined) spec.replicas = replicas;
  }
  if (deploy.resources === undefined) return;
  const resourcesPath = [...path, 'resources'];
  const resources = reader.map(resourcesPath, deploy.resources);
  if (!resources) return;
  reader.checkKeys(resourcesPath, resources, ['limits']);
  if (resources.limits === undefined) return;
  const limitsPath = [...resourcesPath, 'limits'];
  const limits = reader.map(limitsPath, resources.limits);
  if (!limits) return;
  reader.checkKeys(limitsPath, limits, ['cpus', 'memory']);
  if (limits.cpus !== undefined) {
    const cpus = reader.positive([...limitsPath, 'cpus'], limits.cpus);
    if (cpus !== undefined) spec.cpus = cpus;
  }
  if (limits.memory !== undefined) {
    const memory =
      typeof limits.memory === 'number'
        ? limits.memory
        : reader.text([...limitsPath, 'memory'], limits.memory);
    if (memory !== undefined) spec.memory = memory;
  }
}
