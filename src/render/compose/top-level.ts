import type { YamlPath } from '../yaml/index.js';
import { readLabels } from './labels.js';
import { NameTable, resourceNameFor } from './names.js';
import { readIpam } from './network-ipam.js';
import type { Reader } from './reader.js';
import type { NamedObject } from './refs.js';

export interface TopLevelObject {
  key: string;
  /** The resource name derived from the key (see names.ts). */
  name: string;
  spec: Record<string, unknown>;
  path: YamlPath;
}

export interface TopLevel {
  refs: Map<string, NamedObject>;
  /** Objects Wheelhouse creates (not external). */
  owned: TopLevelObject[];
}

/**
 * Top-level `networks:` or `volumes:` -> references for services, and Network/Volume resources
 * named after their keys (`db_data` -> `db-data`).
 */
export function readTopLevel(reader: Reader, kind: 'networks' | 'volumes', value: unknown): TopLevel {
  const out: TopLevel = { refs: new Map(), owned: [] };
  if (value === undefined || value === null) return out;
  const map = reader.map([kind], value);
  if (!map) return out;
  const supported =
    kind === 'networks'
      ? ['driver', 'driver_opts', 'labels', 'internal', 'enable_ipv6', 'ipam', 'external', 'name']
      : ['driver', 'driver_opts', 'labels', 'external', 'name'];
  const table = new NameTable(reader, kind === 'networks' ? 'network' : 'volume');
  for (const [key, raw] of Object.entries(map)) {
    const path: YamlPath = [kind, key];
    // Until the entry reads cleanly its uses stay silent: its own problem is reported once, here.
    out.refs.set(key, { name: key, external: false, unusable: true });
    const options = raw === null || raw === undefined ? {} : reader.map(path, raw);
    if (!options) continue;
    reader.checkKeys(path, options, supported);
    const external =
      options.external === undefined ? false : reader.boolean([...path, 'external'], options.external);
    if (external === undefined) continue;
    if (external) {
      const name = options.name === undefined ? key : reader.text([...path, 'name'], options.name);
      if (name !== undefined) out.refs.set(key, { name, external: true });
      for (const extra of Object.keys(options)) {
        if (extra !== 'external' && extra !== 'name' && supported.includes(extra)) {
          reader.issue(
            [...path, extra],
            `"${extra}" has no effect on an external ${kind.slice(0, -1)} — remove it`,
            'key',
          );
        }
      }
      continue;
    }
    if (options.name !== undefined) {
      reader.issue(
        [...path, 'name'],
        `"name" is supported only with external: true — Wheelhouse names this ${kind.slice(0, -1)} <app>_${resourceNameFor(key)}`,
        'key',
      );
      continue;
    }
    const name = table.add(key, path);
    if (name === undefined) continue;
    const spec: Record<string, unknown> = {};
    if (options.driver !== undefined) {
      const driver = reader.text([...path, 'driver'], options.driver);
      if (driver !== undefined) spec.driver = driver;
    }
    if (options.driver_opts !== undefined)
      spec.options = readLabels(reader, [...path, 'driver_opts'], options.driver_opts);
    if (options.labels !== undefined) spec.labels = readLabels(reader, [...path, 'labels'], options.labels);
    if (kind === 'networks') {
      for (const [from, to] of [
        ['internal', 'internal'],
        ['enable_ipv6', 'ipv6'],
      ] as const) {
        if (options[from] === undefined) continue;
        const flag = reader.boolean([...path, from], options[from]);
        if (flag !== undefined) spec[to] = flag;
      }
      if (options.ipam !== undefined) {
        const ipam = readIpam(reader, [...path, 'ipam'], options.ipam);
        if (ipam) spec.ipam = ipam;
      }
    }
    out.refs.set(key, { name, external: false });
    out.owned.push({ key, name, spec, path });
  }
  return out;
}
