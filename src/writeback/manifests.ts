import { isMap, isSeq } from 'yaml';
import { WheelhouseError } from '../core/index.js';
import { parseDocuments } from './yaml-edit.js';

export interface ManifestFile {
  /** Repo-relative path. */
  path: string;
  text: string;
}

export interface ManifestLocation {
  path: string;
  docIndex: number;
  /** The document as plain data. */
  value: Record<string, unknown>;
}

/** Manifest files of an app path: `*.yaml` / `*.yml`, recursively, dotfiles and dot-dirs left out. */
export function isManifestPath(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !path.split('/').some((segment) => segment.startsWith('.'));
}

/** The one document declaring `kind` (or one of several kinds) named `name` under the app's files. */
export function findResource(
  files: readonly ManifestFile[],
  kinds: string | readonly string[],
  name: string,
  app: string,
): ManifestLocation {
  const wanted: readonly string[] = typeof kinds === 'string' ? [kinds] : kinds;
  const kind = wanted.join(' or ');
  const found: ManifestLocation[] = [];
  const others: string[] = [];
  for (const file of files) {
    if (!isManifestPath(file.path)) continue;
    parseDocuments(file.text, file.path).forEach((doc, docIndex) => {
      const value = doc.toJS() as unknown;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return;
      const record = value as Record<string, unknown>;
      const meta = record.metadata as Record<string, unknown> | undefined;
      if (typeof record.kind !== 'string' || !wanted.includes(record.kind)) return;
      if (!meta || typeof meta.name !== 'string') return;
      if (meta.name === name) found.push({ path: file.path, docIndex, value: record });
      else others.push(meta.name);
    });
  }
  const [only] = found;
  if (found.length > 1 || !only) {
    const message =
      found.length > 1
        ? `app ${app} declares ${kind} ${name} more than once (${found.map((f) => f.path).join(', ')}); fix that in Git first`
        : `app ${app} declares no ${kind} named ${name}${others.length > 0 ? `; it has ${others.join(', ')}` : ''}`;
    throw new WheelhouseError(found.length > 1 ? 'CONFLICT' : 'NOT_FOUND', message, {
      details: { app, resource: name },
    });
  }
  return only;
}

/** Index of the app named `name` in `apps:` of wheelhouse.yaml. */
export function findAppIndex(text: string, file: string, name: string): number {
  const [doc] = parseDocuments(text, file);
  const apps = doc?.get('apps', true);
  if (isSeq(apps)) {
    const index = apps.items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (index >= 0) return index;
  }
  throw new WheelhouseError('NOT_FOUND', `${file} declares no app named ${name} under apps:`, {
    details: { file, app: name },
  });
}
