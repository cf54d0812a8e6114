import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Health, type LiveResource, parseResourceKey, WheelhouseError } from '../../core/index.js';
import type { FileSpec } from './kind-file.js';
import { isInside, resolveInside } from './paths.js';
import type { UnitHost } from './process-unit.js';
import type { FileState } from './state-types.js';

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
 * lead out), and creates its parent directories.
 */
export async function prepareFilePath(
  root: string,
  spec: FileSpec,
  where: { app: string; resource: string },
): Promise<string> {
  await mkdir(root, { recursive: true });
  const ctx = { what: 'spec.path', ...where };
  const path = await resolveInside(root, spec.path, ctx);
  await mkdir(dirname(path), { recursive: true });
  // Directories just created cannot be links, but check once more against a race.
  const realRoot = await realpath(root);
  if (!isInside(realRoot, await realpath(dirname(path)))) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `spec.path "${spec.path}" is refused: it leads outside ${root}`,
      {
        details: { ...where, path: 'spec.path' },
      },
    );
  }
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `spec.path "${spec.path}" is a directory under ${root}; choose a file path or remove the directory`,
      { details: { ...where, path: 'spec.path' } },
    );
  }
  return path;
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

  /** Writes the content atomically (temp file, mode, rename) and records it. */
  async write(spec: FileSpec, path: string): Promise<void> {
    const mode = Number.parseInt(spec.mode, 8);
    const tmp = join(dirname(path), `.${basename(path)}.wh-${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(spec.content);
      await handle.chmod(mode); // the umask applied at open
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const previousPath = this.state.path;
    const st = await lstat(path);
    Object.assign(this.state, {
      spec,
      path,
      hash: sha256(spec.content),
      mode: spec.mode,
      stat: statKey(st),
      updatedAt: new Date().toISOString(),
    });
    await this.host.store.save(this.state);
    if (previousPath && previousPath !== path) await this.deleteFile(previousPath);
  }

  /** Deletes the file (only a regular file or link, never a directory) and empty parents. */
  async remove(): Promise<void> {
    await this.deleteFile(this.state.path);
  }

  async live(): Promise<LiveResource> {
    const check = await this.checkDisk();
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
  async checkDisk(): Promise<DiskCheck> {
    const { spec, path } = this.state;
    let st: Stats;
    try {
      st = await lstat(path);
    } catch {
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
      const data = await readFile(path);
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

  private async deleteFile(path: string): Promise<void> {
    const st = await lstat(path).catch(() => undefined);
    if (st && !st.isDirectory()) await rm(path, { force: true });
    const root = await realpath(this.host.options.root).catch(() => this.host.options.root);
    let dir = dirname(path);
    while (dir !== root && isInside(root, dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or gone): stop climbing
      }
      dir = dirname(dir);
    }
  }
}
