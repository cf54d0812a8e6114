import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, type Stats, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One file Wheelhouse copied for a mount: its content hash and the stat it had then (a cheap "untouched"). */
interface Written {
  sha256: string;
  stat: string;
}

/** One mounted repository path: where it was copied and every file written there. */
interface MountRecord {
  source: string;
  hostPath: string;
  files: Record<string, Written>;
}

const statKey = (st: Stats) => `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Regular files under `path` (itself when it is a file), by absolute path; links and the like are not followed. */
function walk(path: string, out = new Map<string, Stats>()): Map<string, Stats> {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return out;
  }
  if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), out);
  else out.set(path, st);
  return out;
}

/**
 * What Wheelhouse wrote for a Container's `./` mounts (repo-mounts.ts), kept in
 * `<dir>/digests.json` so it survives a restart, and checked the way a File is: a mounted file
 * edited, deleted or added on the host is drift, reported with the resource until the next apply
 * writes the revision's files again. Unchanged files cost one lstat each.
 */
export class MountDigests {
  private readonly records = new Map<string, MountRecord[]>();

  /** Record what was just copied for a resource's mounts (replacing what was recorded before). */
  record(dir: string, mounts: readonly { source: string; hostPath: string }[]): void {
    const records = mounts.map(({ source, hostPath }) => {
      const files: Record<string, Written> = {};
      for (const [path, st] of walk(hostPath)) {
        if (!st.isFile()) continue;
        files[path] = { sha256: sha256(readFileSync(path)), stat: statKey(st) };
      }
      return { source, hostPath, files };
    });
    this.records.set(dir, records);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'digests.json'), JSON.stringify(records));
  }

  /** What changed on the host in the mounted copies of one resource, or undefined. */
  check(dir: string): string | undefined {
    const records = this.load(dir);
    const found: string[] = [];
    for (const record of records) {
      const seen = walk(record.hostPath);
      const name = (path: string) => {
        const rel = relative(record.hostPath, path);
        return rel === '' ? record.source : `${record.source}/${rel}`;
      };
      for (const [path, written] of Object.entries(record.files)) {
        const st = seen.get(path);
        if (!st) found.push(`mounted file ${name(path)} was deleted on the host`);
        else if (!st.isFile()) found.push(`mounted file ${name(path)} was replaced on the host`);
        else if (statKey(st) !== written.stat && sha256(readFileSync(path)) !== written.sha256)
          found.push(`mounted file ${name(path)} was edited on the host`);
      }
      for (const path of seen.keys())
        if (!(path in record.files)) found.push(`${name(path)} was added on the host to a mounted directory`);
    }
    return found.length > 0 ? found.join('; ') : undefined;
  }

  forget(dir: string): void {
    this.records.delete(dir);
  }

  private load(dir: string): MountRecord[] {
    const known = this.records.get(dir);
    if (known) return known;
    let records: MountRecord[] = [];
    try {
      records = JSON.parse(readFileSync(join(dir, 'digests.json'), 'utf8')) as MountRecord[];
    } catch {
      // Nothing recorded (no ./ mounts, or written by an older version): nothing to compare.
    }
    this.records.set(dir, records);
    return records;
  }
}

/** The directory a Container's mounted copies (and their digests) live in. */
export const mountDir = (stateDir: string, app: string, name: string): string =>
  join(stateDir, 'repo-mounts', app, name);
