import type { YamlPath } from '../yaml/index.js';
import { readLabels } from './labels.js';
import type { Reader } from './reader.js';

/** Compose keys about the container's host settings, read by readHostKeys. */
export const HOST_KEYS = [
  'container_name',
  'hostname',
  'domainname',
  'expose',
  'cap_add',
  'cap_drop',
  'sysctls',
  'stdin_open',
  'tty',
  'platform',
  'runtime',
  'privileged',
  'devices',
  'shm_size',
  'ulimits',
  'extra_hosts',
  'dns',
  'dns_search',
  'dns_opt',
  'init',
  'logging',
] as const;

/** Container field -> compose key, for pointing a spec problem at its line. */
export const HOST_SPEC_SOURCE: Readonly<Record<string, readonly string[]>> = {
  containerName: ['container_name'],
  hostname: ['hostname'],
  domainname: ['domainname'],
  expose: ['expose'],
  capAdd: ['cap_add'],
  capDrop: ['cap_drop'],
  sysctls: ['sysctls'],
  stdinOpen: ['stdin_open'],
  tty: ['tty'],
  platform: ['platform'],
  runtime: ['runtime'],
  privileged: ['privileged'],
  devices: ['devices'],
  shmSize: ['shm_size'],
  ulimits: ['ulimits'],
  extraHosts: ['extra_hosts'],
  dns: ['dns'],
  dnsSearch: ['dns_search'],
  dnsOptions: ['dns_opt'],
  init: ['init'],
  logging: ['logging'],
};

const TEXT: readonly (readonly [string, string])[] = [
  ['container_name', 'containerName'],
  ['hostname', 'hostname'],
  ['domainname', 'domainname'],
  ['platform', 'platform'],
  ['runtime', 'runtime'],
];
const FLAGS: readonly (readonly [string, string])[] = [
  ['stdin_open', 'stdinOpen'],
  ['tty', 'tty'],
  ['privileged', 'privileged'],
  ['init', 'init'],
];
const LISTS: readonly (readonly [string, string])[] = [
  ['cap_add', 'capAdd'],
  ['cap_drop', 'capDrop'],
  ['dns', 'dns'],
  ['dns_search', 'dnsSearch'],
  ['dns_opt', 'dnsOptions'],
];

/**
 * A service's host keys -> Container fields (kinds/container-host.ts checks their values). Shapes
 * Compose allows are all read: `dns: 1.1.1.1` or a list, `sysctls` as a map or `k=v` list, ...
 */
export function readHostKeys(
  reader: Reader,
  path: YamlPath,
  service: Record<string, unknown>,
  spec: Record<string, unknown>,
): void {
  const at = (key: string): YamlPath => [...path, key];
  for (const [key, field] of TEXT) {
    if (service[key] === undefined) continue;
    const value = reader.text(at(key), service[key]);
    if (value !== undefined) spec[field] = value;
  }
  for (const [key, field] of FLAGS) {
    if (service[key] === undefined) continue;
    const value = reader.boolean(at(key), service[key]);
    if (value !== undefined) spec[field] = value;
  }
  for (const [key, field] of LISTS) {
    const value = service[key];
    if (value === undefined) continue;
    const list = typeof value === 'string' ? [value] : reader.strings(at(key), value);
    if (list !== undefined) spec[field] = list;
  }
  if (service.expose !== undefined) {
    const expose = readExpose(reader, at('expose'), service.expose);
    if (expose) spec.expose = expose;
  }
  if (service.sysctls !== undefined) spec.sysctls = readLabels(reader, at('sysctls'), service.sysctls);
  if (service.extra_hosts !== undefined) {
    const hosts = readExtraHosts(reader, at('extra_hosts'), service.extra_hosts);
    if (hosts) spec.extraHosts = hosts;
  }
  if (service.shm_size !== undefined) {
    const size =
      typeof service.shm_size === 'number' ? service.shm_size : reader.text(at('shm_size'), service.shm_size);
    if (size !== undefined) spec.shmSize = size;
  }
  if (service.devices !== undefined) {
    const devices = readDevices(reader, at('devices'), service.devices);
    if (devices) spec.devices = devices;
  }
  if (service.ulimits !== undefined) {
    const ulimits = readUlimits(reader, at('ulimits'), service.ulimits);
    if (ulimits) spec.ulimits = ulimits;
  }
  if (service.logging !== undefined) {
    const logging = readLogging(reader, at('logging'), service.logging);
    if (logging) spec.logging = logging;
  }
}

/** `expose: ["80", "8000-8002", "53/udp", 9090]`. */
function readExpose(reader: Reader, path: YamlPath, value: unknown) {
  if (!Array.isArray(value)) {
    reader.issue(path, 'must be a list of ports such as ["80", "53/udp"]');
    return undefined;
  }
  const out: { containerPort: number; protocol: string }[] = [];
  for (const [i, entry] of value.entries()) {
    const text = reader.text([...path, i], entry, 'a port such as "80" or "53/udp"');
    if (text === undefined) return undefined;
    const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(text);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from < 1 || to > 65535 || to < from) {
      reader.issue(
        [...path, i],
        `"${text}" is not a port — write PORT, FROM-TO, optionally with /tcp or /udp`,
      );
      return undefined;
    }
    for (let port = from; port <= to; port++) out.push({ containerPort: port, protocol: match[3] ?? 'tcp' });
  }
  return out;
}

/** `extra_hosts` as `host:ip` / `host=ip` entries or a mapping host -> ip. */
function readExtraHosts(reader: Reader, path: YamlPath, value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const list = reader.strings(path, value);
    // Compose accepts `host=ip` too; the engine takes `host:ip`.
    return list?.map((entry) => entry.replace(/^([^:=]+)=/, '$1:'));
  }
  const map = reader.map(path, value, 'a list of "host:address" or a mapping of host: address');
  if (!map) return undefined;
  const out: string[] = [];
  for (const [host, address] of Object.entries(map)) {
    const text = reader.text([...path, host], address, 'an IP address');
    if (text === undefined) return undefined;
    out.push(`${host}:${text}`);
  }
  return out;
}

/** `devices: ["/dev/fuse", "/dev/sda:/dev/xvda:rwm", { source, target, permissions }]`. */
function readDevices(reader: Reader, path: YamlPath, value: unknown) {
  if (!Array.isArray(value)) {
    reader.issue(path, 'must be a list of devices such as "/dev/fuse" or "/dev/sda:/dev/xvda:r"');
    return undefined;
  }
  const out: { hostPath: string; containerPath: string; permissions?: string }[] = [];
  for (const [i, entry] of value.entries()) {
    const at: YamlPath = [...path, i];
    if (typeof entry === 'string') {
      const [hostPath = '', containerPath = hostPath, permissions, ...rest] = entry.split(':');
      if (rest.length > 0 || hostPath === '') {
        reader.issue(at, `"${entry}" is not a device — write HOST[:CONTAINER[:PERMISSIONS]]`);
        return undefined;
      }
      out.push({ hostPath, containerPath, ...(permissions === undefined ? {} : { permissions }) });
      continue;
    }
    const map = reader.map(at, entry, 'a device such as "/dev/fuse" or { source, target, permissions }');
    if (!map) return undefined;
    reader.checkKeys(at, map, ['source', 'target', 'permissions']);
    const hostPath = reader.text([...at, 'source'], map.source, 'the device path on the host');
    if (hostPath === undefined) return undefined;
    const containerPath = map.target === undefined ? hostPath : reader.text([...at, 'target'], map.target);
    const permissions =
      map.permissions === undefined ? undefined : reader.text([...at, 'permissions'], map.permissions);
    if (containerPath === undefined) return undefined;
    out.push({ hostPath, containerPath, ...(permissions === undefined ? {} : { permissions }) });
  }
  return out;
}

/** `ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } }`. */
function readUlimits(reader: Reader, path: YamlPath, value: unknown) {
  const map = reader.map(path, value, 'a mapping such as { nofile: { soft: 1024, hard: 4096 } }');
  if (!map) return undefined;
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const [name, limit] of Object.entries(map)) {
    const at: YamlPath = [...path, name];
    if (typeof limit === 'number' || typeof limit === 'string') {
      const both = reader.integer(at, limit, -1);
      if (both === undefined) return undefined;
      out[name] = { soft: both, hard: both };
      continue;
    }
    const pair = reader.map(at, limit, 'a number or { soft, hard }');
    if (!pair) return undefined;
    reader.checkKeys(at, pair, ['soft', 'hard']);
    const soft = reader.integer([...at, 'soft'], pair.soft, -1);
    const hard = reader.integer([...at, 'hard'], pair.hard, -1);
    if (soft === undefined || hard === undefined) return undefined;
    out[name] = { soft, hard };
  }
  return out;
}

/** `logging: { driver: json-file, options: { max-size: 10m } }`. */
function readLogging(reader: Reader, path: YamlPath, value: unknown) {
  const map = reader.map(path, value, 'a mapping such as { driver: json-file, options: { max-size: 10m } }');
  if (!map) return undefined;
  reader.checkKeys(path, map, ['driver', 'options']);
  const driver = map.driver === undefined ? 'json-file' : reader.text([...path, 'driver'], map.driver);
  if (driver === undefined) return undefined;
  const options = map.options === undefined ? {} : readLabels(reader, [...path, 'options'], map.options);
  return { driver, options };
}
