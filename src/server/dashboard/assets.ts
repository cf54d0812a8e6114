import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** Content types of what a Vite build emits (anything else is served as bytes). */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The segments of a request path below the web root, or undefined when the path tries to leave
 * it or names something that is never served: `..` and `.` segments, hidden files, backslashes,
 * NUL bytes, empty segments. `relative` is already URL-decoded.
 */
export function safeSegments(relative: string): string[] | undefined {
  if (relative.includes('\0') || relative.includes('\\')) return undefined;
  const segments = relative.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.startsWith('.')) return undefined;
  }
  return segments;
}

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Reads files under one root, refusing any path that resolves outside it (symlinks included),
 * and keeps what it read in memory until the file changes (a rebuild).
 */
export function createAssetReader(root: string) {
  const cache = new Map<string, { mtimeMs: number; size: number; asset: Asset }>();
  let realRoot: Promise<string | undefined> | undefined;
  const rootReal = () => {
    realRoot ??= realpath(root).catch(() => undefined);
    return realRoot;
  };
  return {
    root,
    /** Whether the root holds a built dashboard (its index.html). */
    async built(): Promise<boolean> {
      return (await this.read(['index.html'])) !== undefined;
    },
    async read(segments: readonly string[]): Promise<Asset | undefined> {
      const base = await rootReal();
      if (base === undefined) {
        realRoot = undefined; // not built yet: look again next time
        return undefined;
      }
      const candidate = join(base, ...segments);
      let info: Awaited<ReturnType<typeof stat>>;
      let real: string;
      try {
        real = await realpath(candidate);
        info = await stat(real);
      } catch {
        return undefined;
      }
      if (!real.startsWith(base + sep) || !info.isFile()) return undefined;
      const hit = cache.get(real);
      if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.asset;
      const body = await readFile(real);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const asset = { body, type: contentTypeOf(real), etag };
      cache.set(real, { mtimeMs: info.mtimeMs, size: info.size, asset });
      return asset;
    },
  };
}

export type AssetReader = ReturnType<typeof createAssetReader>;
