import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { type Health, type LiveResource, parseResourceKey, WheelhouseError } from '../../core/index.js';
import type { FileSpec } from './kind-file.js';
import { isInside, resolveInside } from './paths.js';
import type { UnitHost } from './process-unit.js';
import type { FileState } from './state-types.js';

/**
 * Creates a directory and its missing parents with mode 0755 whatever the umask (Wheelhouse runs
 * with 077), so workloads running as another user can reach their Files.
 */
function mkdirReadable(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    chmodSync(d, 0o755);
    if (d === first || dirname(d) === d) break;
  }
}

/** Larger files are not read back into the observed spec (their hash still is compared). */
const MAX_OBSERVED_CONTENT = 1024 * 1024;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const statKey = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`;
const modeOf = (st: Stats): string => (st.mode & 0o7777).toString(8).padStart(4, '0');

/** What is on disk compared with what was written. */
interface DiskCheck {
  drift?: string;
  /** The observed spec when it differs. */
  observed?: Record<string, unknown>;
  missing?: boolean;
}

/**
 * Resolves a File's path under the root, refusing escapes (`..`, absolute, symbolic links that
 * lead out), and creates its parent directories. File work is synchronous on purpose: each step
 * is one cheap syscall, and thread-pool round trips would dominate when thousands converge. A
 * thread of its own for writing Files was tried (1,000 apps x 10 Files): the engine thread then
 * waited on it, as the kernel serialises creating and renaming files in the same directories,
 * and the cold converge took longer.
 */
export function prepareFilePath(
  root: string,
  spec: FileSpec,
  where: { app: string; resource: string },
): string {
  const realRoot = realRootOf(root) ?? createRoot(root);
  // The common case: the File's directories are plain directories under the root (or missing,
  // and created in one). Then the path needs one lstat per directory instead of resolving every
  // component from `/` again. Anything else (a link along the path or at it, a file where a
  // directory should be) takes the careful way, which checks every link along the path.
  const wanted = normalize(join(realRoot, spec.path));
  const fast =
    !spec.path.includes('\0') &&
    !isAbsolute(spec.path) &&
    wanted !== realRoot &&
    isInside(realRoot, wanted) &&
    plainDirectories(realRoot, dirname(relative(realRoot, wanted)));
  let path = wanted;
  let stat = fast ? lstatOrUndefined(path) : undefined;
  if (!fast || stat?.isSymbolicLink()) {
    path = resolveInside(root, spec.path, { what: 'spec.path', ...where });
    const parent = dirname(path);
    mkdirReadable(parent);
    // Directories just created cannot be links, but check once more against a race.
    if (!isInside(realpathSync.native(root), realpathSync.native(parent))) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `spec.path "${spec.path}" is refused: it leads outside ${root}`,
        {
          details: { ...where, path: 'spec.path' },
        },
      );
    }
    stat = lstatOrUndefined(path);
  }
  if (stat?.isDirectory()) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `spec.path "${spec.path}" is a directory under ${root}; choose a file path or remove the directory`,
      { details: { ...where, path: 'spec.path' } },
    );
  }
  return path;
}

/** The real path of each root, kept while the root is the same directory (device and inode). */
const realRoots = new Map<string, { real: string; id: string }>();

/** The root's real path (one stat when known), or undefined when it does not exist. */
function realRootOf(root: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(root);
  } catch {
    return undefined;
  }
  const id = `${st.dev}:${st.ino}`;
  const known = realRoots.get(root);
  if (known?.id === id) return known.real;
  const real = realpathOrUndefined(root);
  if (real !== undefined) realRoots.set(root, { real, id });
  return real;
}

/**
 * True when each directory of `relDir` is, under `realRoot`, a directory and not a link: one
 * `lstat` each, and a missing one is created (mode 0755) inside the plain directory above it, as
 * the first File of each app needs. `mkdir` does not follow a link at the name it creates; a name
 * taken meanwhile (EEXIST) or anything else unexpected answers false: the careful way decides.
 */
function plainDirectories(realRoot: string, relDir: string): boolean {
  if (relDir === '.') return true;
  let dir = realRoot;
  for (const part of relDir.split(sep)) {
    dir = join(dir, part);
    const st = lstatOrUndefined(dir);
    if (st?.isDirectory()) continue;
    if (st !== undefined) return false;
    try {
      mkdirSync(dir, 0o755);
      chmodSync(dir, 0o755); // whatever the umask
    } catch {
      return false;
    }
  }
  return true;
}

function createRoot(root: string): string {
  mkdirReadable(root);
  return realpathSync.native(root);
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/**
 * The path's lstat, undefined when there is nothing there (or it cannot be read). A missing path
 * is the common case (every File written the first time) and answers without an exception: Node
 * builds one with a stack trace for each, which cost more than the lstat itself.
 */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** One File resource: written atomically, read back to detect hand edits. */
export class FileUnit {
  constructor(
    readonly state: FileState,
    private readonly host: UnitHost,
  ) {}

  get key(): string {
    return this.state.key;
  }

  /**
   * Writes the content atomically (temp file in the staging directory, mode, rename) and records
   * it. When workloads run as another user, the file belongs to the target's workload user, so
   * its mode (`0600` too) is what that user gets.
   */
  write(spec: FileSpec, path: string): void {
    const mode = Number.parseInt(spec.mode, 8);
    const { tmp, staged } = this.host.staging.tempFor(path);
    const owner = this.host.users.separated
      ? this.host.users.forSpec(undefined, { app: this.state.app, resource: this.key })
      : undefined;
    let written: Stats;
    try {
      const fd = openSync(tmp, 'wx', mode);
      try {
        writeFileSync(fd, spec.content);
        fchmodSync(fd, mode); // the umask applied at open
        if (owner) fchownSync(fd, owner.uid, owner.gid);
        written = fstatSync(fd); // the rename below keeps inode, size, mtime and mode
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      if (!staged || (err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      this.host.staging.crossDevice();
      this.write(spec, path);
      return;
    }
    const previousPath = this.state.path;
    Object.assign(this.state, {
      spec,
      path,
      hash: sha256(spec.content),
      mode: spec.mode,
      stat: statKey(written),
      updatedAt: new Date().toISOString(),
    });
    this.host.store.save(this.state);
    if (previousPath && previousPath !== path) this.deleteFile(previousPath);
  }

  /** Deletes the file (only a regular file or link, never a directory) and empty parents. */
  remove(): void {
    this.deleteFile(this.state.path);
  }

  live(): LiveResource {
    const check = this.checkDisk();
    const health: Health = check.missing
      ? { status: 'Missing', message: check.drift ?? 'missing' }
      : { status: 'Healthy' };
    return {
      key: this.key,
      kind: 'File',
      name: this.state.name,
      namespace: parseResourceKey(this.key)?.namespace ?? this.state.app,
      app: this.state.app,
      spec: check.observed ?? this.state.spec,
      health,
      ...(check.drift ? { drift: check.drift } : {}),
      status: { path: this.state.path, sha256: this.state.hash },
    };
  }

  /** Compares the file on disk with what was written; cheap (one lstat) when untouched. */
  checkDisk(): DiskCheck {
    const { spec, path } = this.state;
    const st = lstatOrUndefined(path);
    if (!st) {
      const { content: _gone, ...rest } = spec;
      return { drift: 'the file was deleted by hand', observed: rest, missing: true };
    }
    if (!st.isFile()) {
      const what = st.isSymbolicLink() ? 'a symbolic link' : 'something that is not a file';
      return { drift: `the file was replaced by ${what}`, observed: { ...spec, content: `<${what}>` } };
    }
    if (statKey(st) === this.state.stat) return {};
    const mode = modeOf(st);
    const reasons: string[] = [];
    let content = spec.content;
    if (st.size > MAX_OBSERVED_CONTENT) {
      reasons.push('the content was edited by hand');
      content = `<${st.size} bytes, not shown>`;
    } else {
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        return {
          drift: `the file cannot be read (${code})`,
          observed: { ...spec, content: `<unreadable: ${code}>` },
        };
      }
      if (sha256(data) !== this.state.hash) {
        reasons.push('the content was edited by hand');
        content = data.toString('utf8');
      }
    }
    if (mode !== this.state.mode) reasons.push(`its mode changed from ${this.state.mode} to ${mode}`);
    if (reasons.length === 0) {
      this.state.stat = statKey(st); // touched, not changed
      this.host.store.saveSoon(this.state);
      return {};
    }
    return { drift: reasons.join('; '), observed: { ...spec, content, mode } };
  }

  private deleteFile(path: string): void {
    const st = lstatOrUndefined(path);
    if (st && !st.isDirectory()) rmSync(path, { force: true });
    let root = this.host.options.root;
    try {
      root = realpathSync.native(root);
    } catch {
      // keep the configured path
    }
    let dir = dirname(path);
    while (dir !== root && isInside(root, dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty (or gone): stop climbing
      }
      dir = dirname(dir);
    }
  }
}
