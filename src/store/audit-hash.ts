import { createHash } from 'node:crypto';
import type { AuditEntry } from '../core/index.js';
import { canonicalJson } from '../util/index.js';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * `sha256(canonicalJson(fields) + prevHash)` in hex, where `fields` is the entry without `hash`
 * and `prevHash` (absent optional fields are left out, never null).
 */
export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...fields } = entry;
  return createHash('sha256')
    .update(canonicalJson(fields) + prevHash, 'utf8')
    .digest('hex');
}
