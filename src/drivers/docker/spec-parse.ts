import type { z } from 'zod';
import { type DesiredResource, WheelhouseError } from '../../core/index.js';
import { formatFieldPath } from '../../util/index.js';
import { parseWith } from './kinds/index.js';

/** The resource's spec through its kind's schema (already normalized by render; parsed again for types). */
export function parseSpec<T>(schema: z.ZodType<T>, resource: DesiredResource): T {
  const result = parseWith(schema, resource.spec);
  if (result.ok) return result.value;
  const problems = result.issues.map((i) => `spec.${formatFieldPath(i.path)}: ${i.message}`).join('; ');
  throw new WheelhouseError('MANIFEST_INVALID', `${resource.kind} ${resource.key} is invalid: ${problems}`, {
    details: { app: resource.app, resource: resource.key },
  });
}

/** Values of `secretEnv` from the engine's environment; a missing one names the variable, never a value. */
export function resolveSecretEnv(
  secretEnv: Readonly<Record<string, { fromEnv: string }>>,
  env: Readonly<Record<string, string | undefined>>,
  where: { app: string; resource: string },
): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, { fromEnv }] of Object.entries(secretEnv)) {
    const value = env[fromEnv];
    if (value === undefined) missing.push(`${name} (from ${fromEnv})`);
    else values[name] = value;
  }
  if (missing.length > 0) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `${where.resource}: secretEnv needs ${missing.join(', ')}, not set in the engine's environment; set it where Wheelhouse runs and sync again`,
      { details: where },
    );
  }
  return values;
}
