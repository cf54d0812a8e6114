import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { KUSTOMIZATION_FILES } from '../../util/index.js';
import { isManifestPath, type ManifestFile } from '../../writeback/index.js';

/** Manifest files under `path` in a working copy (repo-relative paths). */
export async function readManifests(root: string, path: string): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const rel = relative(root, full).split('\\').join('/');
        if (isManifestPath(rel)) out.push({ path: rel, text: await readFile(full, 'utf8') });
      }
    }
  };
  await walk(join(root, path));
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function writeManifest(root: string, path: string, text: string): Promise<void> {
  await writeFile(join(root, path), text);
}

/** The kustomization at the top of an app's path, among its manifest files. */
export function kustomizationOf(files: readonly ManifestFile[], path: string): ManifestFile | undefined {
  const base = path === '.' ? '' : `${path}/`;
  return files.find((f) => KUSTOMIZATION_FILES.some((n) => f.path === `${base}${n}`));
}
