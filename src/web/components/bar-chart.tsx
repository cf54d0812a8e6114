import { useId } from 'react';

export interface Bar {
  /** The bucket's start (ISO-8601). */
  start: string;
  /** Absent: nothing to measure in that bucket (drawn as a gap, said as "none"). */
  value?: number;
}

/**
 * One small bar chart of a series over days or weeks, in plain SVG: a small multiple of the
 * Metrics page. The picture is described by its label and a table of every value (the text
 * alternative, for screen readers and for anyone who wants the numbers).
 */
export function BarChart({
  title,
  bars,
  format,
  tone = 'neutral',
}: {
  title: string;
  bars: readonly Bar[];
  format: (value: number) => string;
  tone?: 'neutral' | 'bad';
}) {
  const id = useId();
  const width = 240;
  const height = 72;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const step = bars.length > 0 ? width / bars.length : width;
  const total = bars.filter((b) => b.value !== undefined);
  const summary =
    total.length === 0
      ? `${title}: nothing in this period`
      : `${title}: highest ${format(max)}, ${total.length} of ${bars.length} periods with a value`;
  return (
    <figure className="chart">
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-caption ${id}-desc`}>
        <title>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="chart-axis" />
        {bars.map((bar, i) => {
          if (bar.value === undefined) return null;
          const h = max > 0 ? Math.max(1, (bar.value / max) * (height - 4)) : 0;
          return (
            <rect
              key={bar.start}
              x={i * step + step * 0.15}
              y={height - h}
              width={Math.max(1, step * 0.7)}
              height={h}
              className={`chart-bar chart-bar-${tone}`}
            >
              <title>{`${bar.start.slice(0, 10)}: ${format(bar.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <details>
        <summary>Values</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.start}>
                <td>{bar.start.slice(0, 10)}</td>
                <td>{bar.value === undefined ? 'none' : format(bar.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
