import semver from 'semver';
import { WheelhouseError } from '../../core/index.js';
import { closestMatches } from '../../util/edit-distance.js';

/** Branches and tags of a mirror, each peeled to the commit it names (null: not a commit). */
export interface RefList {
  heads: Map<string, string>;
  tags: Map<string, string | null>;
}

/** `git for-each-ref` format the parser below reads (NUL separated, one ref per line). */
export const FOR_EACH_REF_FORMAT =
  '%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)';

export function parseRefs(output: string): RefList {
  const refs: RefList = { heads: new Map(), tags: new Map() };
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [name = '', type, oid = '', peeledType, peeled = ''] = line.split('\0');
    const commit = type === 'commit' ? oid : peeledType === 'commit' ? peeled : null;
    if (name.startsWith('refs/heads/') && commit !== null)
      refs.heads.set(name.slice('refs/heads/'.length), commit);
    else if (name.startsWith('refs/tags/')) refs.tags.set(name.slice('refs/tags/'.length), commit);
  }
  return refs;
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const SHORT_SHA = /^[0-9a-f]{4,63}$/i;

export const isFullSha = (ref: string): boolean => FULL_SHA.test(ref);
export const isShortSha = (ref: string): boolean => SHORT_SHA.test(ref) && !FULL_SHA.test(ref);

/** A tag name read as a version: `1.2.3` or `v1.2.3` (strict semver, no other prefixes). */
export function tagVersion(tag: string): string | null {
  const bare = /^[vV]\d/.test(tag) ? tag.slice(1) : tag;
  return semver.valid(bare);
}

/** The highest tag whose version satisfies `range`, or undefined. Pre-releases only if the range names one. */
export function maxSatisfyingTag(tags: Iterable<string>, range: string): string | undefined {
  let best: { tag: string; version: string } | undefined;
  for (const tag of tags) {
    const version = tagVersion(tag);
    if (version === null || !semver.satisfies(version, range)) continue;
    if (best === undefined || semver.gt(version, best.version)) best = { tag, version };
  }
  return best?.tag;
}

export function isSemverRange(ref: string): boolean {
  return /[\d*xX]/.test(ref) && semver.validRange(ref) !== null;
}

/** Look up a branch or tag by exact name (`main`, `v1.2.0`, `refs/heads/main`, `refs/tags/v1.2.0`). */
export function exactRef(
  refs: RefList,
  ref: string,
): { kind: 'branch' | 'tag'; commit: string | null } | undefined {
  if (ref.startsWith('refs/heads/')) {
    const commit = refs.heads.get(ref.slice('refs/heads/'.length));
    return commit === undefined ? undefined : { kind: 'branch', commit };
  }
  if (ref.startsWith('refs/tags/')) {
    const name = ref.slice('refs/tags/'.length);
    return refs.tags.has(name) ? { kind: 'tag', commit: refs.tags.get(name) ?? null } : undefined;
  }
  const branch = refs.heads.get(ref);
  if (branch !== undefined) return { kind: 'branch', commit: branch };
  if (refs.tags.has(ref)) return { kind: 'tag', commit: refs.tags.get(ref) ?? null };
  return undefined;
}

/** Refs near `ref` by edit distance; when none is near, a few branches so the reader sees what exists. */
export function suggestRefs(refs: RefList, ref: string, limit = 5): string[] {
  const names = [...refs.heads.keys(), ...refs.tags.keys()];
  const bare = ref.replace(/^refs\/(heads|tags)\//, '');
  const near = closestMatches(bare, names, { limit, maxDistance: Math.max(3, Math.floor(bare.length / 2)) });
  return near.length > 0 ? near : [...refs.heads.keys()].slice(0, limit);
}

export function refNotFound(repo: string, ref: string, refs: RefList, why?: string): WheelhouseError {
  const suggestions = suggestRefs(refs, ref);
  const total = refs.heads.size + refs.tags.size;
  const hint =
    total === 0
      ? 'the repository has no branches or tags yet; push one, or check the repo URL'
      : `closest existing refs: ${suggestions.join(', ')}; fix the ref, or push it and fetch again`;
  return new WheelhouseError(
    'REF_NOT_FOUND',
    `ref '${ref}' does not exist in ${repo}${why ? ` (${why})` : ''}; ${hint}`,
    { details: { repo, ref, suggestions } },
  );
}
