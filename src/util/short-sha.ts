/** Hex digits of a commit id shown to people everywhere: engine messages, CLI, chat, dashboard. */
export const SHORT_SHA_LENGTH = 7;

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * A commit id as people see it: its first `SHORT_SHA_LENGTH` hex digits. Anything that is not a
 * full commit id (a tag, a branch) is returned as it is, and `missing` stands in for none.
 */
export function shortSha(revision: string | undefined, missing = '-'): string {
  if (!revision) return missing;
  return FULL_SHA.test(revision) ? revision.slice(0, SHORT_SHA_LENGTH) : revision;
}
