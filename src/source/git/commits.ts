import type { CommitInfo } from '../../core/index.js';

/** `git log -z --format=` that `parseCommits` reads: six NUL-terminated fields per commit. */
export const COMMIT_FORMAT = '%H%x00%s%x00%an%x00%ae%x00%aI%x00%(trailers:only,unfold,separator=%x1f)';
const FIELDS = 6;

/** Trailers (`Key: value`, separated by U+001F) to a record; repeated keys are joined with ", ". */
export function parseTrailers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\x1f')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

export function parseCommits(output: string): CommitInfo[] {
  const fields = output.split('\0');
  const commits: CommitInfo[] = [];
  for (let i = 0; i + FIELDS <= fields.length; i += FIELDS) {
    const [sha = '', subject = '', authorName = '', authorEmail = '', authoredAt = '', trailerText = ''] =
      fields.slice(i, i + FIELDS);
    const commit: CommitInfo = { sha: sha.trim(), subject, authorName, authorEmail, authoredAt };
    const trailers = parseTrailers(trailerText);
    if (Object.keys(trailers).length > 0) commit.trailers = trailers;
    commits.push(commit);
  }
  return commits;
}
