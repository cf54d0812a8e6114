import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseDocuments, setYamlValue, type YamlPath } from './yaml-edit.js';

/**
 * Rewrites every `image:` value in a manifest or Compose file whose repository is `repository`
 * (whatever its tag or digest) to what `next` returns for it; other bytes of the file stay as they
 * were. Returns the new text and the references replaced (`old -> new`).
 */
export function setImageReferences(
  text: string,
  file: string,
  repository: string,
  next: (current: string) => string,
): { text: string; changed: { from: string; to: string }[] } {
  const docs = parseDocuments(text, file);
  const found: { doc: number; path: YamlPath; value: string }[] = [];
  docs.forEach((doc, index) => {
    walk(doc.contents, [], (path, value) => found.push({ doc: index, path, value }));
  });
  let out = text;
  const changed: { from: string; to: string }[] = [];
  for (const hit of found) {
    if (repositoryOf(hit.value) !== repository) continue;
    const value = next(hit.value);
    if (value === hit.value) continue;
    out = setYamlValue(out, file, hit.doc, hit.path, value);
    changed.push({ from: hit.value, to: value });
  }
  return { text: out, changed };
}

/** Every `image:` value of `repository` in a manifest or Compose file, in file order. */
export function imageReferences(text: string, file: string, repository: string): string[] {
  const out: string[] = [];
  for (const doc of parseDocuments(text, file)) {
    walk(doc.contents, [], (_path, value) => {
      if (repositoryOf(value) === repository) out.push(value);
    });
  }
  return out;
}

/** `host:5000/shop/web:1.2.0@sha256:...` -> `host:5000/shop/web`. */
function repositoryOf(ref: string): string {
  const name = ref.split('@')[0] ?? ref;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

function walk(node: unknown, path: YamlPath, hit: (path: YamlPath, value: string) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' && typeof key !== 'number') continue;
      const value = pair.value as Node | null;
      if (key === 'image' && isScalar(value) && typeof value.value === 'string')
        hit([...path, key], value.value);
      else walk(value, [...path, key], hit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      walk(item, [...path, index], hit);
    });
  }
}
