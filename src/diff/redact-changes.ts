import type { FieldChange, ResourceChange } from '../core/index.js';
import { isSensitivePath, noRedaction, type Redactor, redactDeep } from '../util/index.js';
import { pathSegments } from './paths.js';

export interface RedactOptions {
  /** Replaces secrets in text (built from `secretPatterns` with `createRedactor`). */
  redact?: Redactor;
  /** Mask values under secret-looking keys (`DB_PASSWORD`, `apiKey`); default true. */
  maskSensitiveKeys?: boolean;
}

/** A field value as it may be shown: masked when its path is sensitive, strings redacted. */
export function redactFieldValue(path: string, value: unknown, options: RedactOptions = {}): unknown {
  const maskKeys = options.maskSensitiveKeys ?? true;
  const keys = pathSegments(path).filter((segment): segment is string => typeof segment === 'string');
  return redactDeep(value, options.redact ?? noRedaction, { maskKeys, sensitive: isSensitivePath(keys) });
}

/**
 * A copy of a change set safe to show or store: field values under sensitive keys masked
 * (`***`), every string and the drift text passed through `redact`.
 */
export function redactChanges(
  changes: readonly ResourceChange[],
  options: RedactOptions = {},
): ResourceChange[] {
  const redact = options.redact ?? noRedaction;
  return changes.map((change) => {
    const out: ResourceChange = {
      ...change,
      fields: change.fields.map((field) => redactField(field, options)),
    };
    if (change.drift !== undefined) out.drift = redact(change.drift);
    return out;
  });
}

function redactField(field: FieldChange, options: RedactOptions): FieldChange {
  const out: FieldChange = { path: field.path };
  if ('live' in field) out.live = redactFieldValue(field.path, field.live, options);
  if ('desired' in field) out.desired = redactFieldValue(field.path, field.desired, options);
  return out;
}
