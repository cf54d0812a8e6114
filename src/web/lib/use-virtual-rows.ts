import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { type VirtualWindow, virtualWindow } from './virtual-window.js';

export interface VirtualRows extends VirtualWindow {
  /** The measured height of one row (px), margins included. */
  pitch: number;
  /** Put on the `<tbody>` (or other container) whose rows scroll with the page. */
  ref: RefObject<HTMLTableSectionElement | null>;
}

/** Rows rendered before the page has been measured: enough to fill a tall screen. */
const FIRST_ROWS = 40;

/**
 * Which of `count` rows of a table scrolling with the window to render: those in view plus
 * `overscan` on each side, and the heights of the spacers standing in for the rest.
 *
 * The row height is measured, not assumed: after each render the distance between the tops of the
 * first and the last rendered row (`[aria-rowindex]` children of the container; a row kept outside
 * the window, marked `data-pinned`, left out) divided by the rows between them gives the pitch,
 * margins included, so it follows the wide table and the narrow card layout alike.
 * Scroll and resize are read once per animation frame; the state changes only when the window of
 * rows does.
 */
export function useVirtualRows(count: number, { estimate = 48, overscan = 10 } = {}): VirtualRows {
  const ref = useRef<HTMLTableSectionElement | null>(null);
  const [pitch, setPitch] = useState(estimate);
  const [range, setRange] = useState({ start: 0, end: FIRST_ROWS });

  const update = useCallback(() => {
    const body = ref.current;
    if (!body) return;
    // How far the top of the rows is above the top of the viewport (negative while below it).
    const above = -body.getBoundingClientRect().top;
    const next = virtualWindow({ count, pitch, above, viewport: window.innerHeight, overscan });
    setRange((r) =>
      r.start === next.start && r.end === next.end ? r : { start: next.start, end: next.end },
    );
  }, [count, pitch, overscan]);

  // Measure the rows just rendered; a different pitch re-runs `update` through its dependencies.
  useLayoutEffect(() => {
    const rows = ref.current?.querySelectorAll<HTMLElement>(':scope > [aria-rowindex]:not([data-pinned])');
    if (!rows || rows.length < 2) return;
    const first = rows[0]?.getBoundingClientRect().top ?? 0;
    const last = rows[rows.length - 1]?.getBoundingClientRect().top ?? 0;
    const measured = (last - first) / (rows.length - 1);
    if (measured > 0 && Math.abs(measured - pitch) > 0.5) setPitch(measured);
  });

  useLayoutEffect(() => {
    update();
    let frame = 0;
    const onChange = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        update();
      });
    };
    window.addEventListener('scroll', onChange, { passive: true });
    window.addEventListener('resize', onChange);
    return () => {
      window.removeEventListener('scroll', onChange);
      window.removeEventListener('resize', onChange);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [update]);

  const start = Math.min(range.start, count);
  const end = Math.min(range.end, count);
  return { ref, start, end, before: start * pitch, after: (count - end) * pitch, pitch };
}
