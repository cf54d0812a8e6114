import { execFile } from 'node:child_process';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceFile } from '../core/index.js';

export interface TreeFiles {
  files: SourceFile[];
  /** Repo-relative paths of symbolic links (Git keeps them as links; they are not followed). */
  links: string[];
  /** True when there were more files than `maxFiles`. */
  truncated: boolean;
}

export interface ReadTreeOptions {
  /** Read at most this many bytes per file (one more than the YAML size cap is enough to refuse). */
  maxBytesPerFile: number;
  maxFiles: number;
}

/**
 * The files Git would hold under `path` in the working tree at `root`: tracked plus untracked
 * files that are not ignored (`git ls-files`), or, outside a Git repository, every file below
 * `path` except inside dot-directories. Paths come back repo-relative with `/`.
 */
export async function readWorkingTree(
  root: string,
  path: string,
  options: ReadTreeOptions,
): Promise<TreeFiles> {
  const listed =
    (await gitListFiles(root, path)) ?? (await walk(root, path === '.' ? '' : path, options.maxFiles + 1));
  const unique = [...new Set(listed)].sort();
  const truncated = unique.length > options.maxFiles;
  const files: SourceFile[] = [];
  const links: string[] = [];
  for (const rel of unique.slice(0, options.maxFiles)) {
    const full = join(root, rel);
    const stat = await lstat(full).catch(() => undefined);
    if (!stat) continue; // deleted in the working tree but still tracked
    if (stat.isSymbolicLink()) {
      links.push(rel);
      continue;
    }
    if (!stat.isFile()) continue;
    const content = await readHead(full, options.maxBytesPerFile);
    // A head cut at the limit carries the real size, so a refusal names it (not the limit + 1).
    files.push(
      stat.size > content.byteLength ? { path: rel, content, size: stat.size } : { path: rel, content },
    );
  }
  return { files, links, truncated };
}

async function readHead(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Files Git would commit under `path`, or undefined when `root` is not the top of a Git work tree. */
async function gitListFiles(root: string, path: string): Promise<string[] | undefined> {
  const top = await git(['-C', root, 'rev-parse', '--show-toplevel']);
  // Inside another repository (e.g. an ignored directory of it), that repository's rules do not apply.
  if (
    top === undefined ||
    (await realpath(top.trim()).catch(() => '')) !== (await realpath(root).catch(() => root))
  ) {
    return undefined;
  }
  const listed = await git([
    '-C',
    root,
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--',
    path,
  ]);
  return listed?.split('\0').filter((entry) => entry !== '');
}

function git(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout) => {
      resolve(err ? undefined : stdout);
    });
  });
}

async function walk(root: string, dir: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0 && out.length < limit) {
    const current = pending.pop() ?? '';
    const entries = await readdir(join(root, current), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = current === '' ? entry.name : `${current}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) pending.push(rel);
      } else out.push(rel);
    }
  }
  return out;
}
