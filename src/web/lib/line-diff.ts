/** A line diff of two texts (Myers' algorithm, via jsdiff), for file contents in the diff view. Pure. */
import { diffArrays } from 'diff';

export interface LineOp {
  op: ' ' | '+' | '-';
  text: string;
}

/**
 * Lines of before → after, removals before additions within a change. Myers' diff costs
 * O((n + m) · d) for d changed lines, so big files with few changes diff fully, without a cap.
 */
export function diffTextLines(before: readonly string[], after: readonly string[]): LineOp[] {
  const out: LineOp[] = [];
  for (const part of diffArrays([...before], [...after])) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of part.value) out.push({ op, text });
  }
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
