/** A line diff of two texts (longest common subsequence), for file contents in the diff view. Pure. */

export interface LineOp {
  op: ' ' | '+' | '-';
  text: string;
}

/** Lines of before → after; texts over `limit` lines each fall back to all-removed, all-added. */
export function diffTextLines(before: readonly string[], after: readonly string[], limit = 2000): LineOp[] {
  if (before.length > limit || after.length > limit) {
    return [
      ...before.map((text) => ({ op: '-' as const, text })),
      ...after.map((text) => ({ op: '+' as const, text })),
    ];
  }
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: length of the common subsequence of before[i..] and after[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) {
      row[j] = before[i] === after[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      out.push({ op: ' ', text: before[i] ?? '' });
      i++;
      j++;
    } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) {
      out.push({ op: '-', text: before[i] ?? '' });
      i++;
    } else {
      out.push({ op: '+', text: after[j] ?? '' });
      j++;
    }
  }
  while (i < n) out.push({ op: '-', text: before[i++] ?? '' });
  while (j < m) out.push({ op: '+', text: after[j++] ?? '' });
  return out;
}

/** Keeps `context` unchanged lines around each change; `null` marks what was left out. */
export function withContext(ops: readonly LineOp[], context = 3): (LineOp | null)[] {
  const keep = ops.map(() => false);
  ops.forEach((op, i) => {
    if (op.op === ' ') return;
    for (let k = Math.max(0, i - context); k <= Math.min(ops.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (LineOp | null)[] = [];
  let skipped = false;
  ops.forEach((op, i) => {
    if (keep[i]) {
      out.push(op);
      skipped = false;
    } else if (!skipped) {
      out.push(null);
      skipped = true;
    }
  });
  return out;
}
