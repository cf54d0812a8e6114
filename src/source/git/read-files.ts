import { type SourceFile, WheelhouseError } from '../../core/index.js';
import { formatBytes } from '../../util/format-bytes.js';
import { shortSha } from '../../util/index.js';
import type { Mirror } from './mirror.js';
import { isFileMode, isTreeMode, parseTree } from './tree-entries.js';

export interface ReadLimits {
  /** Largest single file returned. */
  maxFileBytes: number;
  /** Largest sum of all files under the path. */
  maxTotalBytes: number;
  /** Most files under the path. */
  maxFiles: number;
}

function refused(mirror: Mirror, message: string, details: Record<string, unknown>): WheelhouseError {
  return new WheelhouseError('INPUT_REFUSED', message, { details: { repo: mirror.repo, ...details } });
}

/**
 * Every regular file under a tree, read through the mirror's long-lived `cat-file` process: one
 * round trip per directory level, one for the sizes (checked against the limits before any
 * content is read) and one for the contents. Symlinks and submodules are skipped.
 */
export async function readTreeFiles(
  mirror: Mirror,
  treeId: string,
  prefix: string,
  limits: ReadLimits,
  revision: string,
): Promise<SourceFile[]> {
  const oidBytes = treeId.length / 2;
  const files: { path: string; oid: string }[] = [];
  let level = [{ path: prefix, oid: treeId }];
  while (level.length > 0) {
    const trees = await mirror.batch.contents(level.map((t) => t.oid));
    const next: typeof level = [];
    trees.forEach((tree, i) => {
      const base = level[i]?.path ?? '';
      if (tree.status !== 'found') {
        throw new WheelhouseError(
          'GIT_FAILED',
          `tree ${tree.name} of ${mirror.repo} is missing from the mirror`,
          {
            details: { repo: mirror.repo, path: base },
          },
        );
      }
      if (tree.type !== 'tree') {
        throw new WheelhouseError(
          'NOT_FOUND',
          `'${base || '.'}' at ${shortSha(revision)} in ${mirror.repo} is not a directory (object ${tree.name} is a ${tree.type}); check the app's path`,
          { details: { repo: mirror.repo, path: base, revision } },
        );
      }
      for (const entry of parseTree(tree.content, oidBytes)) {
        const path = base === '' ? entry.name : `${base}/${entry.name}`;
        if (isTreeMode(entry.mode)) next.push({ path, oid: entry.oid });
        else if (isFileMode(entry.mode)) files.push({ path, oid: entry.oid });
      }
    });
    if (files.length > limits.maxFiles) {
      throw refused(
        mirror,
        `'${prefix || '.'}' at ${shortSha(revision)} in ${mirror.repo} holds more than ${limits.maxFiles} files; point the app at a smaller directory`,
        { path: prefix, revision },
      );
    }
    level = next;
  }

  const unique = [...new Set(files.map((f) => f.oid))];
  const sizes = new Map<string, number>();
  for (const info of await mirror.batch.info(unique))
    if (info.status === 'found') sizes.set(info.name, info.size);
  let total = 0;
  for (const file of files) {
    const size = sizes.get(file.oid) ?? 0;
    total += size;
    if (size > limits.maxFileBytes) {
      throw refused(
        mirror,
        `file '${file.path}' at ${shortSha(revision)} in ${mirror.repo} is ${formatBytes(size)}, over the ${formatBytes(limits.maxFileBytes)} limit; keep large files out of app paths`,
        { file: file.path, path: prefix, revision, size },
      );
    }
  }
  if (total > limits.maxTotalBytes) {
    throw refused(
      mirror,
      `'${prefix || '.'}' at ${shortSha(revision)} in ${mirror.repo} holds ${formatBytes(total)} of files, over the ${formatBytes(limits.maxTotalBytes)} limit; point the app at a smaller directory`,
      { path: prefix, revision, size: total },
    );
  }

  const contents = new Map<string, Buffer>();
  for (const blob of await mirror.batch.contents(unique))
    if (blob.status === 'found') contents.set(blob.name, blob.content);
  return files
    .map((f) => ({ path: f.path, content: contents.get(f.oid) ?? Buffer.alloc(0) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
