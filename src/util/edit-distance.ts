/** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] ?? 0;
}

export interface ClosestOptions {
  /** How many matches to return at most (default 3). */
  limit?: number;
  /** Largest distance still worth suggesting (default: a third of the word's length, at least 2). */
  maxDistance?: number;
}

/**
 * The candidates nearest to `word` by edit distance, nearest first (ties in candidate order),
 * for "did you mean" suggestions. Case-insensitive comparison; candidates are returned as given.
 */
export function closestMatches(
  word: string,
  candidates: Iterable<string>,
  options: ClosestOptions = {},
): string[] {
  const limit = options.limit ?? 3;
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  const needle = word.toLowerCase();
  const scored: { candidate: string; distance: number; order: number }[] = [];
  let order = 0;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= maxDistance) scored.push({ candidate, distance, order });
    order++;
  }
  scored.sort((x, y) => x.distance - y.distance || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.candidate);
}
