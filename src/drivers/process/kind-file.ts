import { z } from 'zod';
import type { KindDefinition } from '../../core/index.js';
import { parserFor, relativePath } from './kind-common.js';

export const fileSpecSchema = z.strictObject({
  path: relativePath('path').refine((p) => p !== '.', {
    message: 'path must name a file, e.g. conf/app.toml',
  }),
  content: z.string({ error: 'content must be a string (use a YAML block scalar "|" for several lines)' }),
  mode: z
    .string({ error: 'mode must be a quoted octal string, e.g. "0644" (unquoted 0644 is read as a number)' })
    .regex(/^0?[0-7]{3}$/, 'mode must be an octal permission string such as "0644" or "0600"')
    .default('0644')
    .transform((mode) => mode.padStart(4, '0')),
});

export type FileSpec = z.output<typeof fileSpecSchema>;

export const fileKind: KindDefinition = {
  kind: 'File',
  description: "A file with given content and mode under the target's root directory.",
  parse: parserFor(fileSpecSchema),
  order: 10,
};
