import { type FocusEvent, useState } from 'react';
import type { AppSummary } from '../../api/types.js';
import { useVirtualRows } from '../../lib/use-virtual-rows.js';
import { bodyParts } from '../../lib/virtual-window.js';
import { AppRow } from './app-row.js';

const COLUMNS = ['App', 'Environment', 'Target', 'Sync', 'Health', 'Revision', 'Last sync'];

/** Stands in for rows not rendered, keeping the page as tall as the whole table. Hidden from assistive tech. */
function Spacer({ height }: { height: number }) {
  if (height <= 0) return null;
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing focusable; Biome takes every <tr> for interactive
    <tr className="spacer-row" aria-hidden="true">
      <td colSpan={COLUMNS.length} style={{ height }} />
    </tr>
  );
}

/**
 * The apps as a table that renders only the rows in view (plus a few either side), so 10,000 apps
 * cost the page as much as a screenful. It stays a table to assistive tech: `aria-rowcount` says
 * how many rows there are in all and each row's `aria-rowindex` where it sits; every rendered row's
 * link is reachable by keyboard, and tabbing on scrolls the next rows into view. The row holding
 * focus stays rendered (in its place) while the page scrolls away from it, so focus is not lost.
 */
export function AppsTable({
  shown,
  total,
  progress,
}: {
  shown: readonly AppSummary[];
  total: number;
  progress: ReadonlyMap<string, string>;
}) {
  const rows = useVirtualRows(shown.length);
  const [focused, setFocused] = useState<string | undefined>();
  const pinned = focused === undefined ? -1 : shown.findIndex((app) => app.name === focused);
  const parts = bodyParts(rows, { count: shown.length, pitch: rows.pitch, pinned });
  const onFocus = (event: FocusEvent<HTMLElement>) =>
    setFocused(event.target.closest<HTMLElement>('tr[data-app]')?.dataset.app);
  const onBlur = (event: FocusEvent<HTMLElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) setFocused(undefined);
  };
  return (
    <table className="table apps-table" aria-rowcount={shown.length + 1}>
      <caption className="visually-hidden">
        Apps, {shown.length} of {total} shown
      </caption>
      <thead>
        <tr aria-rowindex={1}>
          {COLUMNS.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      {/* One flat list of keyed children: a row moving in or out of the window keeps its element (and focus). */}
      <tbody ref={rows.ref} onFocus={onFocus} onBlur={onBlur}>
        {parts.map((part) => {
          if (part.kind === 'spacer') return <Spacer key={part.key} height={part.height} />;
          const app = shown[part.index];
          if (!app) return null;
          return (
            <AppRow
              key={app.name}
              app={app}
              index={part.index + 2}
              pinned={part.pinned}
              progress={progress.get(app.name)}
            />
          );
        })}
      </tbody>
    </table>
  );
}
