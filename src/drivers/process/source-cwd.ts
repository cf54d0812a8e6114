import { stat } from 'node:fs/promises';
import { type ApplyContext, WheelhouseError } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import { resolveInside } from './paths.js';
import type { Where } from './units.js';

/** A Process's or Job's `spec.cwd` as a directory of the checkout of the revision being applied. */
export async function resolveCwd(rel: string, ctx: ApplyContext, where: Where): Promise<string> {
  const root = await ctx.checkout();
  const cwd = resolveInside(root, rel, { what: 'spec.cwd', ...where });
  const st = await stat(cwd).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `spec.cwd "${rel}" of ${where.resource} is not a directory in the source at revision ${shortSha(ctx.revision)}; ` +
        'set cwd to a directory of the repository (relative to its root)',
      { details: { ...where, path: 'spec.cwd' } },
    );
  }
  return cwd;
}
