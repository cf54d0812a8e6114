import type { AppSummary } from '../../api/types.js';
import { useVirtualRows } from '../../lib/use-virtual-rows.js';
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
 * link is reachable by keyboard, and tabbing on scrolls the next rows into view.
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
      <tbody ref={rows.ref}>
        <Spacer height={rows.before} />
        {shown.slice(rows.start, rows.end).map((app, i) => (
          <AppRow key={app.name} app={app} index={rows.start + i + 2} progress={progress.get(app.name)} />
        ))}
        <Spacer height={rows.after} />
      </tbody>
    </table>
  );
}
