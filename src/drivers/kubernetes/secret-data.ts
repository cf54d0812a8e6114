import { createHmac, randomBytes } from 'node:crypto';
import { canonicalJson, REDACTED } from '../../util/index.js';
import { apiGroup, type KubeObject } from './kube-object.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The key of the markers when the caller gives none: random per process, so markers compare
 * within a run (desired vs live) but a marker seen in chat or history cannot be matched against a
 * dictionary of likely passwords, as a plain hash of a short value could.
 */
const PROCESS_KEY = randomBytes(32);

/**
 * A copy of a Secret fit for diffing and showing: every `data` and `stringData` value replaced by
 * a marker derived from a keyed hash of its bytes (`*** (hmac 1f2e3d4c5b6a7988)`). Equal values
 * give equal markers, so a diff still shows which keys changed, never what they hold. A `data`
 * value is hashed decoded, so `stringData: {a: "x"}` and `data: {a: "eA=="}` mark alike. The
 * `last-applied-configuration` annotation, which repeats the values in clear, is marked too.
 * Any other object is returned as a copy, unchanged. Pass `key` for markers that must compare
 * across processes (e.g. between replicas).
 */
export function secretDataRedacted(obj: KubeObject, key: Uint8Array = PROCESS_KEY): KubeObject {
  const out = structuredClone(obj);
  if (apiGroup(obj.apiVersion) !== '' || obj.kind !== 'Secret') return out;
  const mark = (bytes: Uint8Array): string =>
    `${REDACTED} (hmac ${createHmac('sha256', key).update(bytes).digest('hex').slice(0, 16)})`;
  for (const field of ['data', 'stringData'] as const) {
    const map = out[field];
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    const values = map as Record<string, unknown>;
    for (const [name, value] of Object.entries(values)) {
      values[name] = mark(valueBytes(field, value));
    }
  }
  const annotations = out.metadata.annotations;
  const lastApplied = annotations?.[LAST_APPLIED];
  if (annotations !== undefined && lastApplied !== undefined) {
    annotations[LAST_APPLIED] = mark(Buffer.from(lastApplied, 'utf8'));
  }
  return out;
}

function valueBytes(field: 'data' | 'stringData', value: unknown): Uint8Array {
  if (typeof value !== 'string') return Buffer.from(canonicalJson(value), 'utf8');
  return field === 'data' ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8');
}
