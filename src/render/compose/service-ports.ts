import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

export interface PortOut {
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
  protocol: 'tcp' | 'udp';
}

/** More ports than this from one range entry is almost certainly a typo. */
const MAX_RANGE = 100;

/** `ports:` in short (`"127.0.0.1:8080:80/tcp"`) and long (`{ target, published, host_ip, protocol }`) form. */
export function readPorts(reader: Reader, path: YamlPath, value: unknown): PortOut[] {
  if (!Array.isArray(value)) {
    reader.issue(path, 'must be a list of ports such as "8080:80"');
    return [];
  }
  const out: PortOut[] = [];
  value.forEach((entry, i) => {
    const at = [...path, i];
    if (typeof entry === 'number' || typeof entry === 'string') {
      const parsed = shortPort(String(entry));
      if (typeof parsed === 'string') reader.issue(at, parsed);
      else out.push(...parsed);
      return;
    }
    const map = reader.map(at, entry, 'a port such as "8080:80" or { target: 80, published: 8080 }');
    if (!map) return;
    reader.checkKeys(at, map, ['target', 'published', 'host_ip', 'protocol']);
    const target = reader.integer([...at, 'target'], map.target, 1, 65535);
    if (target === undefined) return;
    const protocol = readProtocol(reader, [...at, 'protocol'], map.protocol);
    if (!protocol) return;
    const port: PortOut = { containerPort: target, protocol };
    if (map.published !== undefined && map.published !== '') {
      const published = reader.integer([...at, 'published'], map.published, 1, 65535);
      if (published === undefined) return;
      port.hostPort = published;
    }
    if (map.host_ip !== undefined) {
      const ip = reader.text([...at, 'host_ip'], map.host_ip);
      if (ip === undefined) return;
      port.hostIp = ip;
    }
    out.push(port);
  });
  return out;
}

function readProtocol(reader: Reader, path: YamlPath, value: unknown): 'tcp' | 'udp' | undefined {
  if (value === undefined) return 'tcp';
  if (value === 'tcp' || value === 'udp') return value;
  reader.issue(path, `must be tcp or udp, not ${JSON.stringify(value)}`);
  return undefined;
}

/** `[[IP:][HOST]:]CONTAINER[/PROTOCOL]`, where ports may be ranges `a-b`. */
export function shortPort(text: string): PortOut[] | string {
  const bad = `"${text}" is not a port mapping — write CONTAINER, HOST:CONTAINER or IP:HOST:CONTAINER, optionally with /tcp or /udp`;
  let rest = text.trim();
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp') return `"${text}": protocol must be tcp or udp`;
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  let ip: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest.charAt(close + 1) !== ':') return bad;
    ip = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  let host: string | undefined;
  let container: string;
  if (parts.length === 1) container = parts[0] ?? '';
  else if (parts.length === 2) [host, container] = [parts[0], parts[1] ?? ''];
  else if (parts.length === 3 && ip === undefined)
    [ip, host, container] = [parts[0], parts[1], parts[2] ?? ''];
  else return bad;
  const containers = range(container);
  if (!containers) return bad;
  const hosts = host === undefined || host === '' ? undefined : range(host);
  if (host !== undefined && host !== '' && !hosts) return bad;
  if (containers.length > MAX_RANGE)
    return `"${text}" spans ${containers.length} ports; at most ${MAX_RANGE} per entry`;
  if (hosts && hosts.length !== containers.length) {
    return `"${text}": the host range has ${hosts.length} ports and the container range ${containers.length}; make them the same length`;
  }
  return containers.map((containerPort, i) => {
    const port: PortOut = { containerPort, protocol };
    const hostPort = hosts?.[i];
    if (hostPort !== undefined) port.hostPort = hostPort;
    if (ip !== undefined && ip !== '') port.hostIp = ip;
    return port;
  });
}

function range(text: string): number[] | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from < 1 || to > 65535 || to < from) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
