import { useEffect, useId, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Bar {
  /** The bucket's start (ISO-8601). */
  start: string;
  /** Absent: nothing to measure in that bucket (drawn as a gap, said as "none"). */
  value?: number;
}

const HEIGHT = 88;
/** uPlot's bar path builder, 70 % of each day or week wide. */
const barPaths = uPlot.paths.bars?.({ size: [0.7, Number.POSITIVE_INFINITY] });

/**
 * One small bar chart of a series over days or weeks, drawn by uPlot on a canvas: a small
 * multiple of the Metrics page. The picture is described by its label and a summary, hovering
 * says the day or week and its value, and a table of every value is the text alternative (for
 * screen readers and for anyone who wants the numbers).
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
  const host = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<number | undefined>(undefined);
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const withValue = bars.filter((b) => b.value !== undefined);
  const summary =
    withValue.length === 0
      ? `${title}: nothing in this period`
      : `${title}: highest ${format(max)}, ${withValue.length} of ${bars.length} periods with a value`;

  useEffect(() => {
    const element = host.current;
    if (!element || bars.length === 0) return;
    const color = getComputedStyle(element).getPropertyValue(`--chart-${tone}`).trim() || 'currentColor';
    const chart = new uPlot(
      {
        width: element.clientWidth || 240,
        height: HEIGHT,
        legend: { show: false },
        cursor: { x: false, y: false, points: { show: false }, drag: { x: false, y: false } },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: false, range: (_u, min, maxX) => [min - 0.5, maxX + 0.5] },
          y: { range: (_u, _min, maxY) => [0, maxY > 0 ? maxY : 1] },
        },
        axes: [{ show: false }, { show: false }],
        series: [
          {},
          {
            label: title,
            fill: color,
            stroke: color,
            width: 0,
            points: { show: false },
            ...(barPaths ? { paths: barPaths } : {}),
          },
        ],
        hooks: {
          setCursor: [(u) => setHovered(u.cursor.idx ?? undefined)],
        },
      },
      [bars.map((_, i) => i), bars.map((b) => b.value ?? null)],
      element,
    );
    const resize = new ResizeObserver(() => {
      if (element.clientWidth > 0) chart.setSize({ width: element.clientWidth, height: HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [bars, title, tone]);

  const hoveredBar = hovered === undefined ? undefined : bars[hovered];
  return (
    <figure className="chart">
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <div
        ref={host}
        className={`chart-plot chart-${tone}`}
        role="img"
        aria-labelledby={`${id}-caption ${id}-desc`}
        data-bars={bars.length}
      />
      <p id={`${id}-desc`} className="chart-readout" aria-live="polite">
        {hoveredBar
          ? `${hoveredBar.start.slice(0, 10)}: ${hoveredBar.value === undefined ? 'none' : format(hoveredBar.value)}`
          : summary}
      </p>
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
