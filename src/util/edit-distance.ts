/**
 * "Did you mean" support: the optimal-string-alignment distance (Levenshtein plus swapped
 * neighbours, so `aps` -> `apps` and `tagret` -> `target` are both one edit away).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const width = b.length + 1;
  // Three rolling rows: two back (for transpositions), previous, current.
  let twoBack = new Array<number>(width).fill(0);
  let prev = Array.from({ length: width }, (_, j) => j);
  let cur = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (twoBack[j - 2] ?? 0) + 1);
      }
      cur[j] = best;
    }
    [twoBack, prev, cur] = [prev, cur, twoBack];
  }
  return prev[b.length] ?? 0;
}

export interface ClosestOptions {
  /** How many matches to return at most (default 3). */
  limit?: number;
  /** Largest distance still worth suggesting (default: a third of the word's length, at least 1). */
  maxDistance?: number;
}

/**
 * Candidates close enough to `word` to suggest, best first. Case is ignored for the distance;
 * "close enough" scales with length (1 edit for short words, up to a third of the word), and a
 * candidate the word is a prefix of (3+ characters) counts as one edit away.
 */
export function closestMatches(
  word: string,
  candidates: Iterable<string>,
  options: ClosestOptions = {},
): string[] {
  const lower = word.toLowerCase();
  const maxDistance = options.maxDistance ?? Math.max(1, Math.floor(word.length / 3));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const prefix = lower.length >= 3 && candidate.toLowerCase().startsWith(lower);
    if (distance <= maxDistance || prefix)
      scored.push({ candidate, distance: prefix ? Math.min(distance, 1) : distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.candidate < y.candidate ? -1 : 1));
  return scored.slice(0, options.limit ?? 3).map((s) => s.candidate);
}

/** ` — did you mean "apps"?` (or `"a" or "b"`), or an empty string when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const matches = closestMatches(word, candidates, { limit: 2 });
  if (matches.length === 0) return '';
  return ` — did you mean ${matches.map((m) => `"${m}"`).join(' or ')}?`;
}
