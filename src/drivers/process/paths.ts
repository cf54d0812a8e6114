import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { WheelhouseError } from '../../core/index.js';

/** True when `child` is `parent` or below it (both absolute and normalized). */
export function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Who asks, for error messages: `cwd of Process shop/web`. */
export interface PathContext {
  what: string;
  app: string;
  resource: string;
}

/**
 * Resolves `rel` under `root`, refusing anything that ends up outside it: absolute paths, `..`
 * that climbs out, and symbolic links (anywhere along the path) that point outside. Returns the
 * absolute path with symlinks of its existing part resolved. Synchronous: a few cheap syscalls,
 * much faster than thread-pool round trips when thousands of Files converge.
 */
export function resolveInside(root: string, rel: string, ctx: PathContext): string {
  const refuse = (why: string) =>
    new WheelhouseError(
      'INPUT_REFUSED',
      `${ctx.what} "${rel}" is refused: ${why}; use a path inside ${root}`,
      {
        details: { app: ctx.app, resource: ctx.resource, path: ctx.what },
      },
    );
  if (rel.includes('\0')) throw refuse('it contains a NUL character');
  if (isAbsolute(rel)) throw refuse('it is absolute');
  const realRoot = realpathSync.native(root);
  const wanted = normalize(join(realRoot, rel));
  if (!isInside(realRoot, wanted)) throw refuse("'..' climbs out of the root");

  // Resolve the deepest part of the path that exists; symlinks in it must stay inside the root.
  let existing = wanted;
  let rest = '';
  for (;;) {
    try {
      const real = realpathSync.native(existing);
      if (!isInside(realRoot, real)) throw refuse('a symbolic link along it points outside the root');
      return rest ? join(real, rest) : real;
    } catch (err) {
      if (err instanceof WheelhouseError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = dirname(existing);
      if (parent === existing || !isInside(realRoot, parent)) throw refuse('its parent does not exist');
      rest = rest ? join(relative(parent, existing), rest) : relative(parent, existing);
      existing = parent;
    }
  }
}

/**
 * A file-system-safe, readable and collision-free name for a resource key
 * (`local/Process/shop/web` → `Process.shop.web.1a2b3c4d`).
 */
export function slugOf(key: string): string {
  const readable = key
    .split('/')
    .slice(1)
    .map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_'))
    .join('.');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `${readable.slice(0, 150)}.${hash}`;
}
