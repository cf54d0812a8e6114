import { parseDocument } from 'yaml';

/** The input types `sops decrypt` takes, by how a file is written. */
export type SopsFormat = 'yaml' | 'json' | 'dotenv';

/**
 * Whether a file is SOPS-encrypted, and as what: a YAML or JSON file whose top level holds a
 * `sops:` map with a `mac`, or a dotenv file with a `sops_mac=` line. Other files are left alone.
 */
export function sopsFormat(path: string, content: string): SopsFormat | undefined {
  if (!content.includes('sops')) return undefined;
  if (/\.env$|(^|\/)\.env(\.[^/]*)?$/.test(path)) return /^sops_mac=/m.test(content) ? 'dotenv' : undefined;
  const json = /\.json$/.test(path);
  if (!json && !/\.ya?ml$/.test(path)) return undefined;
  try {
    const value: unknown = json ? JSON.parse(content) : parseDocument(content).toJS();
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const sops = (value as Record<string, unknown>).sops;
    if (sops === null || typeof sops !== 'object' || !('mac' in sops)) return undefined;
    return json ? 'json' : 'yaml';
  } catch {
    return undefined;
  }
}
