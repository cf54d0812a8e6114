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

/** What a virtual table body holds, top to bottom: spacers and the indexes of rendered rows. */
export type BodyPart =
  | { kind: 'spacer'; key: string; height: number }
  | { kind: 'row'; index: number; pinned: boolean };

/**
 * The spacers and rows of `window`, plus `pinned` (the row holding keyboard focus, or -1) kept in
 * its place when it lies outside the window, so scrolling away does not unmount it and drop focus
 * to the page. Spacers of height 0 are left out.
 */
export function bodyParts(
  { start, end }: Pick<VirtualWindow, 'start' | 'end'>,
  { count, pitch, pinned }: { count: number; pitch: number; pinned: number },
): BodyPart[] {
  const spacer = (key: string, rows: number): BodyPart[] =>
    rows > 0 ? [{ kind: 'spacer', key, height: rows * pitch }] : [];
  const rows: BodyPart[] = [];
  for (let index = start; index < end; index++) rows.push({ kind: 'row', index, pinned: false });
  const pin: BodyPart = { kind: 'row', index: pinned, pinned: true };
  if (pinned >= 0 && pinned < start)
    return [
      ...spacer('before', pinned),
      pin,
      ...spacer('gap', start - pinned - 1),
      ...rows,
      ...spacer('after', count - end),
    ];
  if (pinned >= end && pinned < count)
    return [
      ...spacer('before', start),
      ...rows,
      ...spacer('gap', pinned - end),
      pin,
      ...spacer('after', count - pinned - 1),
    ];
  return [...spacer('before', start), ...rows, ...spacer('after', count - end)];
}
