/** A small line diff (longest common subsequence) for multi-line values such as file contents. */

export type LineOp = { op: ' ' | '-' | '+'; text: string };

/** Above this many cells the LCS table is skipped and the value shown as replaced wholesale. */
const MAX_CELLS = 250_000;

export function diffLines(before: readonly string[], after: readonly string[]): LineOp[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const head = before.slice(0, start).map((text): LineOp => ({ op: ' ', text }));
  const tail = before.slice(endBefore).map((text): LineOp => ({ op: ' ', text }));
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  return [...head, ...middle(a, b), ...tail];
}

function middle(a: readonly string[], b: readonly string[]): LineOp[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): LineOp => ({ op: '-', text })), ...b.map((text): LineOp => ({ op: '+', text }))];
  }
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    }
  }
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] as string });
      i++;
      j++;
    } else if (
      i < a.length &&
      (j >= b.length || (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))
    ) {
      out.push({ op: '-', text: a[i] as string });
      i++;
    } else {
      out.push({ op: '+', text: b[j] as string });
      j++;
    }
  }
  return out;
}

/**
 * Only the changed lines and `context` lines around them; runs of skipped unchanged lines become
 * one `null` (rendered as an ellipsis).
 */
export function withContext(ops: readonly LineOp[], context: number): (LineOp | null)[] {
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((line, index) => {
    if (line.op === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++)
      keep[k] = true;
  });
  const out: (LineOp | null)[] = [];
  ops.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (out[out.length - 1] !== null) out.push(null);
  });
  return out;
}
