import semver from 'semver';
import type { ImageRule } from '../core/index.js';

/**
 * The newest tag a rule accepts, or undefined when none does. semver: the highest version in the
 * range (a leading `v` is allowed; tags that are not versions are ignored). regex: tags that match,
 * ordered by the first capture group (else the whole tag), alphabetically or as numbers; the last
 * wins. A digest rule follows one tag, so its candidate is that tag when the registry has it.
 */
export function newestTag(rule: ImageRule, tags: readonly string[]): string | undefined {
  if (rule.kind === 'digest') return tags.includes(rule.tag) ? rule.tag : undefined;
  if (rule.kind === 'semver') {
    const versions = tags.filter(
      (t) => semver.valid(t, { loose: false }) !== null && semver.satisfies(t, rule.range),
    );
    return versions.sort((a, b) => semver.compare(a, b)).at(-1);
  }
  const ranked = tags
    .map((tag) => ({ tag, key: regexKey(rule, tag) }))
    .filter((entry): entry is { tag: string; key: string | number } => entry.key !== undefined);
  ranked.sort((a, b) => compareKeys(a.key, b.key) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return ranked.at(-1)?.tag;
}

/** True when `candidate` comes after `current` in the rule's order (a newer version). */
export function isNewer(rule: ImageRule, current: string | undefined, candidate: string): boolean {
  if (current === undefined) return true;
  if (rule.kind === 'digest') return false;
  if (rule.kind === 'semver') {
    if (semver.valid(current) === null) return true;
    return semver.gt(candidate, current);
  }
  const a = regexKey(rule, current);
  const b = regexKey(rule, candidate);
  if (b === undefined) return false;
  return a === undefined || compareKeys(b, a) > 0;
}

function regexKey(rule: Extract<ImageRule, { kind: 'regex' }>, tag: string): string | number | undefined {
  const match = new RegExp(rule.pattern).exec(tag);
  if (!match) return undefined;
  const key = match[1] ?? match[0];
  if (rule.order === 'alphabetical') return key;
  const n = Number(key);
  return key.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
