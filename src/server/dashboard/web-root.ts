import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built dashboard is: `dist/web` of the package. This file runs from
 * `src/server/dashboard/` (tests, tsx) or from `dist/src/server/dashboard/` (the built command).
 */
export function defaultWebRoot(): string {
  const up = fileURLToPath(new URL('../../../', import.meta.url));
  return basename(up) === 'dist' ? join(up, 'web') : join(up, 'dist', 'web');
}
