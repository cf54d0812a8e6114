import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

/** A top-level network's `ipam: { driver, config: [{ subnet, ip_range, gateway }] }` -> the Network's `ipam`. */
export function readIpam(
  reader: Reader,
  path: YamlPath,
  value: unknown,
): Record<string, unknown> | undefined {
  const map = reader.map(path, value, 'a mapping such as { config: [{ subnet: 172.28.0.0/16 }] }');
  if (!map) return undefined;
  reader.checkKeys(path, map, ['driver', 'config']);
  const out: Record<string, unknown> = {};
  if (map.driver !== undefined) {
    const driver = reader.text([...path, 'driver'], map.driver);
    if (driver === undefined) return undefined;
    out.driver = driver;
  }
  if (map.config === undefined) return out;
  if (!Array.isArray(map.config)) {
    reader.issue([...path, 'config'], 'must be a list such as [{ subnet: 172.28.0.0/16 }]');
    return undefined;
  }
  const config: Record<string, string>[] = [];
  for (const [i, entry] of map.config.entries()) {
    const at: YamlPath = [...path, 'config', i];
    const pool = reader.map(at, entry, 'a mapping such as { subnet: 172.28.0.0/16, gateway: 172.28.0.1 }');
    if (!pool) return undefined;
    reader.checkKeys(at, pool, ['subnet', 'ip_range', 'gateway']);
    const item: Record<string, string> = {};
    for (const [from, to] of [
      ['subnet', 'subnet'],
      ['ip_range', 'ipRange'],
      ['gateway', 'gateway'],
    ] as const) {
      if (pool[from] === undefined) continue;
      const text = reader.text([...at, from], pool[from]);
      if (text === undefined) return undefined;
      item[to] = text;
    }
    config.push(item);
  }
  out.config = config;
  return out;
}
