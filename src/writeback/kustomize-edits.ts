import { type Document, isMap, isScalar, isSeq, stringify, YAMLMap } from 'yaml';
import { WheelhouseError } from '../core/index.js';
import { parseDocuments, setYamlValue, type YamlValue } from './yaml-edit.js';

/**
 * Edits of a kustomization through kustomize's own fields — `replicas:`, `images:` and a
 * `configMapGenerator` literal — so an overlay changes what its base declares without copying it.
 * An existing entry is edited in place (every other byte kept); a new one is appended (that
 * document is re-printed, comments kept).
 */

/** One `images:` entry: the image as the manifests name it, and what kustomize writes instead. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const IMAGE_FIELDS = ['newName', 'newTag', 'digest'] as const;

function firstDoc(text: string, file: string): Document.Parsed | undefined {
  return parseDocuments(text, file)[0];
}

/** Index of the entry called `name` in the list at `key`, or -1. */
function entryIndex(doc: Document.Parsed, key: string, name: string): number {
  const list = doc.get(key, true);
  return isSeq(list) ? list.items.findIndex((item) => isMap(item) && item.get('name') === name) : -1;
}

/** Appends `entry` to the list at `key` (made when absent) and re-prints the document. */
function appendEntry(doc: Document.Parsed, key: string, entry: Record<string, YamlValue>): string {
  const list = doc.get(key, true);
  if (isSeq(list)) {
    const node = new YAMLMap();
    for (const [k, v] of Object.entries(entry)) node.set(k, v);
    list.add(node);
  } else {
    doc.set(key, doc.createNode([entry]));
  }
  return doc.toString({ lineWidth: 0 });
}

export function setKustomizeReplicas(text: string, file: string, name: string, count: number): string {
  const doc = firstDoc(text, file);
  if (!doc) return `replicas:\n  - name: ${name}\n    count: ${count}\n`;
  const index = entryIndex(doc, 'replicas', name);
  if (index >= 0) return setYamlValue(text, file, 0, ['replicas', index, 'count'], count);
  return appendEntry(doc, 'replicas', { name, count });
}

/** The `images:` entries of a kustomization (those with a name). */
export function kustomizeImages(text: string, file: string): KustomizeImage[] {
  const images = firstDoc(text, file)?.toJS()?.images;
  if (!Array.isArray(images)) return [];
  return images.flatMap((raw: unknown): KustomizeImage[] => {
    if (!raw || typeof raw !== 'object') return [];
    const entry = raw as Record<string, unknown>;
    if (typeof entry.name !== 'string') return [];
    const out: KustomizeImage = { name: entry.name };
    for (const field of IMAGE_FIELDS) {
      const value = entry[field];
      if (typeof value === 'string' || typeof value === 'number') out[field] = String(value);
    }
    return [out];
  });
}

/**
 * Makes the `images:` entry for `image.name` say exactly `image` (a field the new entry lacks is
 * removed, so a digest does not linger beside a new tag).
 */
export function setKustomizeImage(text: string, file: string, image: KustomizeImage): string {
  const doc = firstDoc(text, file);
  if (!doc) return stringify({ images: [image] });
  const index = entryIndex(doc, 'images', image.name);
  if (index < 0) return appendEntry(doc, 'images', { ...image });
  const stale = IMAGE_FIELDS.filter((f) => image[f] === undefined && doc.hasIn(['images', index, f]));
  let next = text;
  if (stale.length > 0) {
    for (const field of stale) doc.deleteIn(['images', index, field]);
    next = doc.toString({ lineWidth: 0 });
  }
  for (const field of IMAGE_FIELDS) {
    const value = image[field];
    if (value !== undefined) next = setYamlValue(next, file, 0, ['images', index, field], value);
  }
  return next;
}

/**
 * Sets `KEY=VALUE` among the `literals` of a `configMapGenerator` entry: the one called
 * `generator`, else the only one that has literals. Refuses, naming what to edit, when there is
 * none or the choice is ambiguous.
 */
export function setKustomizeLiteral(
  text: string,
  file: string,
  generator: string,
  key: string,
  value: string,
): string {
  const doc = firstDoc(text, file);
  const generators = doc?.get('configMapGenerator', true);
  const entries = isSeq(generators) ? generators.items.filter(isMap) : [];
  const named = entries.findIndex((e) => e.get('name') === generator);
  const withLiterals = entries.flatMap((e, i) => (isSeq(e.get('literals', true)) ? [i] : []));
  const index = named >= 0 ? named : withLiterals.length === 1 ? (withLiterals[0] ?? -1) : -1;
  const entry = entries[index];
  if (!doc || !entry) {
    const names = entries.map((e) => String(e.get('name')));
    throw new WheelhouseError(
      'INPUT_REFUSED',
      names.length === 0
        ? `${file} has no configMapGenerator, so there is no literal to set ${key} in: add a configMapGenerator with literals (and envFrom it in the Deployment's patch), or edit the overlay's patch by hand, and commit`
        : `${file} has configMapGenerator entries ${names.join(', ')}, none called ${generator}: name the generator (set env <app>/<generator> ${key}=...)`,
      { details: { file } },
    );
  }
  const literals = entry.get('literals', true);
  const at = isSeq(literals)
    ? literals.items.findIndex((item) => isScalar(item) && String(item.value).startsWith(`${key}=`))
    : -1;
  if (at >= 0)
    return setYamlValue(text, file, 0, ['configMapGenerator', index, 'literals', at], `${key}=${value}`);
  if (isSeq(literals)) literals.add(doc.createNode(`${key}=${value}`));
  else entry.set('literals', doc.createNode([`${key}=${value}`]));
  return doc.toString({ lineWidth: 0 });
}
