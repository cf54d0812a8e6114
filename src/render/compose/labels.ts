import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

/** A mapping of strings, or a list of `key=value` (labels, driver options, sysctls). */
export function readLabels(reader: Reader, path: YamlPath, value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    value.forEach((entry, i) => {
      const text = reader.text([...path, i], entry, 'key=value');
      if (text === undefined) return;
      const eq = text.indexOf('=');
      out[eq < 0 ? text : text.slice(0, eq)] = eq < 0 ? '' : text.slice(eq + 1);
    });
    return out;
  }
  const map = reader.map(path, value, 'a mapping of labels or a list of key=value');
  if (!map) return out;
  for (const [key, raw] of Object.entries(map)) {
    const text = raw === null ? '' : reader.text([...path, key], raw);
    if (text !== undefined) out[key] = text;
  }
  return out;
}
