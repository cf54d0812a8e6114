/**
 * Whether two sets of changes to the same base touch the same lines, the way a person reading
 * both diffs would call it a conflict: a changed or removed line changed by both, or one side
 * inserting inside lines the other changed. Lines that merely sit next to each other (two new
 * keys appended to one env map) do not conflict, although `git rebase` refuses them.
 */

/** Per file, the base lines each hunk replaces: `[start, end)`; an insertion is `[n, n)` after line n-1. */
export type BaseRanges = Map<string, Array<[number, number]>>;

/** Parses `git diff -U0 --no-renames` output into base-side line ranges per file. */
export function baseRanges(diff: string): BaseRanges {
  const ranges: BaseRanges = new Map();
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) file = undefined;
    else if (line.startsWith('--- ')) file = line === '--- /dev/null' ? undefined : line.slice(6);
    else if (line.startsWith('+++ ') && file === undefined) file = line.slice(6);
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (!hunk || file === undefined) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    // For an insertion git names the line after which it goes; make it the point before the next.
    const range: [number, number] = count === 0 ? [start + 1, start + 1] : [start, start + count];
    const list = ranges.get(file) ?? [];
    list.push(range);
    ranges.set(file, list);
  }
  return ranges;
}

/** True when some hunk of `ours` and some hunk of `theirs` in one file overlap (see above). */
export function changesOverlap(ours: BaseRanges, theirs: BaseRanges): boolean {
  for (const [file, mine] of ours) {
    const other = theirs.get(file);
    if (!other) continue;
    for (const a of mine) for (const b of other) if (rangesOverlap(a, b)) return true;
  }
  return false;
}

function rangesOverlap([a0, a1]: [number, number], [b0, b1]: [number, number]): boolean {
  const aInsert = a0 === a1;
  const bInsert = b0 === b1;
  if (aInsert && bInsert) return false; // two insertions at one place: keep both
  if (aInsert) return a0 > b0 && a0 < b1; // inserted strictly inside lines the other changed
  if (bInsert) return b0 > a0 && b0 < a1;
  return a0 < b1 && b0 < a1;
}
