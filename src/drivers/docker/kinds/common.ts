import { z } from 'zod';
import { parseByteSize } from '../../../util/index.js';

/** A resource name: a DNS label, as the manifests require. */
export const resourceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits and "-"')
  .max(63);

/** A name Docker accepts for a network or volume it did not create (`external`). */
export const engineObjectName = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    'must start with a letter or digit and hold only letters, digits, "_", "." and "-"',
  );

export const absolutePath = z.string().regex(/^\//, 'must be an absolute path (starting with "/")');

/** Labels a user may set: the `wheelhouse.` prefix is reserved for ownership labels. */
export const userLabels = z
  .record(z.string().min(1), z.string())
  .refine((labels) => Object.keys(labels).every((key) => !key.startsWith('wheelhouse.')), {
    message: 'label keys starting with "wheelhouse." are reserved for ownership labels; rename them',
  })
  .default({});

export const stringMap = z.record(z.string(), z.string()).default({});

/** Bytes as a number, or a size such as `512m` / `1g`. */
export const byteSize = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size; write bytes or e.g. 512m, 1g` });
    return z.NEVER;
  }
  return bytes;
});
