import { createHash } from 'node:crypto';
import { canonicalJson } from '../../util/index.js';

/**
 * Ownership labels on every container, network and volume the driver creates. Only objects
 * carrying this driver's target label are ever observed, changed or pruned.
 */
export const LABEL = {
  target: 'wheelhouse.target',
  app: 'wheelhouse.app',
  /** The resource's identity key `target/kind/namespace/name`. */
  resource: 'wheelhouse.resource',
  /** sha256 of the normalized spec (canonical JSON): a mismatch means the object is out of date. */
  specHash: 'wheelhouse.spec-hash',
  /** The normalized spec as applied (names of secret variables only, never their values). */
  spec: 'wheelhouse.spec',
  replica: 'wheelhouse.replica',
} as const;

export function specHash(spec: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}

export interface Ownership {
  target: string;
  app: string;
  key: string;
  spec: Record<string, unknown>;
}

export function ownershipLabels(owner: Ownership): Record<string, string> {
  return {
    [LABEL.target]: owner.target,
    [LABEL.app]: owner.app,
    [LABEL.resource]: owner.key,
    [LABEL.specHash]: specHash(owner.spec),
    [LABEL.spec]: canonicalJson(owner.spec),
  };
}

/** What the labels of an owned object say; undefined when they are not ours or are unreadable. */
export interface OwnedLabels {
  app: string;
  key: string;
  hash: string;
  /** The applied spec, or null when its label is missing or does not match the hash. */
  spec: Record<string, unknown> | null;
  replica?: number;
}

export function readOwnedLabels(
  labels: Readonly<Record<string, string>> | null | undefined,
): OwnedLabels | undefined {
  if (!labels) return undefined;
  const app = labels[LABEL.app];
  const key = labels[LABEL.resource];
  if (!app || !key) return undefined;
  const hash = labels[LABEL.specHash] ?? '';
  let spec: Record<string, unknown> | null = null;
  const text = labels[LABEL.spec];
  if (text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const candidate = parsed as Record<string, unknown>;
        if (specHash(candidate) === hash) spec = candidate;
      }
    } catch {
      spec = null;
    }
  }
  const replicaText = labels[LABEL.replica];
  const replica = replicaText !== undefined && /^\d+$/.test(replicaText) ? Number(replicaText) : undefined;
  return replica === undefined ? { app, key, hash, spec } : { app, key, hash, spec, replica };
}
