/** One entry of a git tree object. */
export interface TreeEntry {
  /** Octal mode as git writes it: `40000` tree, `100644`/`100755` file, `120000` symlink, `160000` submodule. */
  mode: string;
  name: string;
  oid: string;
}

/** Parse a raw tree object (`<mode> <name>\0<binary oid>` repeated); `oidBytes` is 20 (SHA-1) or 32 (SHA-256). */
export function parseTree(content: Buffer, oidBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < content.length) {
    const space = content.indexOf(0x20, pos);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + oidBytes > content.length) {
      throw new Error(`malformed tree object at byte ${pos}`);
    }
    entries.push({
      mode: content.toString('latin1', pos, space),
      name: content.toString('utf8', space + 1, nul),
      oid: content.toString('hex', nul + 1, nul + 1 + oidBytes),
    });
    pos = nul + 1 + oidBytes;
  }
  return entries;
}

export const isTreeMode = (mode: string): boolean => mode === '40000';
export const isFileMode = (mode: string): boolean =>
  mode === '100644' || mode === '100755' || mode === '100664';

/**
 * Normalize a repo-relative path as users write it (`./apps/web/`, `apps//web`) to git's form
 * (`apps/web`; empty for the root). Returns null for paths that leave the repo or cannot be
 * named in git's object syntax (absolute, `..`, line breaks).
 */
export function normalizeRepoPath(path: string): string | null {
  if (/[\n\r\0]/.test(path) || path.startsWith('/')) return null;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  return parts.join('/');
}
