/** Which slice of a long list to render, given where the viewport is. Pure. */

export interface VirtualWindow {
  /** First rendered index. */
  start: number;
  /** One past the last rendered index. */
  end: number;
  /** Height (px) standing in for the rows before `start`. */
  before: number;
  /** Height (px) standing in for the rows from `end` on. */
  after: number;
}

export interface WindowInput {
  count: number;
  /** Height of one row (px), margins included. */
  pitch: number;
  /** How far the top of the list is above the top of the viewport (px; negative while below it). */
  above: number;
  /** Height of the viewport (px). */
  viewport: number;
  /** Rows rendered beyond each edge of the viewport, so keyboard focus and fast scrolls find them. */
  overscan: number;
}

/**
 * The rows in view plus `overscan` on each side, clamped to the list. A list entirely below or
 * above the viewport still renders its first or last `overscan` rows, so it is never empty while
 * it has rows.
 */
export function virtualWindow({ count, pitch, above, viewport, overscan }: WindowInput): VirtualWindow {
  const height = Math.max(1, pitch);
  const clamp = (n: number) => Math.min(count, Math.max(0, n));
  let start = clamp(Math.floor(above / height) - overscan);
  let end = clamp(Math.ceil((above + viewport) / height) + overscan);
  if (end <= start) {
    // Out of view: keep a few rows at the nearer end.
    if (above < 0) {
      start = 0;
      end = clamp(overscan);
    } else {
      end = count;
      start = clamp(count - overscan);
    }
  }
  return { start, end, before: start * height, after: (count - end) * height };
}
