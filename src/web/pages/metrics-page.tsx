import { useEffect, useId, useState } from 'react';
import { DELIVERY_DEFINITIONS } from '../../core/delivery/definitions.js';
import { figureLines, roughDuration } from '../../core/delivery/summary.js';
import type { DeliveryMetrics, DeliveryTimeline, LiveEvent } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { type Bar, BarChart } from '../components/bar-chart.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { SyncTimeline } from '../components/sync-timeline.js';
import { paths, withQuery } from '../lib/routes.js';
import { useRouter } from '../router/router.js';

const PERIODS = [7, 28, 90, 365] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Timelines drawn at once when no app is chosen (the busiest apps first). */
const TIMELINES = 8;

const refreshOn = (e: LiveEvent) => e.type === 'sync.finished' || e.type === 'health.changed';

/**
 * Delivery (DORA) figures: the four numbers with what they mean, small multiples of each per
 * day or week, and a sync timeline per app. `?app=` keeps one app, `?days=` picks the period.
 */
export function MetricsPage() {
  const { search, navigate } = useRouter();
  const query = new URLSearchParams(search);
  const app = query.get('app') ?? undefined;
  const days = Number(query.get('days')) || 28;
  const [to] = useState(() => new Date(Math.ceil(Date.now() / 60_000) * 60_000));
  const from = new Date(to.getTime() - days * DAY_MS).toISOString();
  const { data, error } = useFetch<DeliveryMetrics>(
    withQuery('/api/v1/metrics', { app, from, to: to.toISOString() }),
    refreshOn,
  );
  const appId = useId();
  const periodId = useId();
  useEffect(() => {
    document.title = `Metrics${app ? ` · ${app}` : ''} · Wheelhouse`;
  }, [app]);
  const go = (next: { app?: string | undefined; days?: number }) =>
    navigate(
      withQuery(paths.metrics, {
        app: 'app' in next ? next.app : app,
        days: String(next.days ?? days),
      }),
    );

  if (error && !data) return <ErrorNotice>Could not load the delivery figures: {error.message}</ErrorNotice>;
  if (!data) return <Loading what="delivery figures" />;
  const total = data.total;
  const apps = [...data.byApp].sort((a, b) => b.figures.deployments - a.figures.deployments);
  const shown = app ? [app] : apps.slice(0, TIMELINES).map((g) => g.key);
  const per = data.bucket === 'day' ? 'day' : 'week';
  return (
    <>
      <h1>Delivery metrics{app ? `: ${app}` : ''}</h1>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={appId}>App</label>
        <select id={appId} value={app ?? ''} onChange={(e) => go({ app: e.target.value || undefined })}>
          <option value="">All apps you may read</option>
          {[
            ...data.byApp.map((g) => g.key),
            ...(app && !data.byApp.some((g) => g.key === app) ? [app] : []),
          ].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label htmlFor={periodId}>Period</label>
        <select id={periodId} value={days} onChange={(e) => go({ days: Number(e.target.value) })}>
          {PERIODS.map((d) => (
            <option key={d} value={d}>
              last {d} days
            </option>
          ))}
        </select>
      </form>
      <p className="muted">
        {data.from.slice(0, 10)} to {data.to.slice(0, 10)}, per {per}. A change counts as failed when trouble
        follows within {roughDuration(data.failureWindowMs)}.
      </p>
      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">The four figures</h2>
        <dl className="figures">
          {figureLines(total.figures).map(([label, value], i) => (
            <div key={label} className="figure">
              <dt>{label}</dt>
              <dd className="figure-value">{value}</dd>
              <dd className="figure-definition">{Object.values(DELIVERY_DEFINITIONS)[i]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Per {per}</h2>
        <div className="small-multiples">
          <BarChart
            title={`Deployments per ${per}`}
            bars={bars(total.buckets, (b) => b.deployments)}
            format={(v) => String(v)}
          />
          <BarChart
            title="Median lead time"
            bars={bars(total.buckets, (b) => b.leadTimeMedianMs)}
            format={roughDuration}
          />
          <BarChart
            title="Failed changes"
            bars={bars(total.buckets, (b) => b.failed)}
            format={(v) => String(v)}
            tone="bad"
          />
          <BarChart
            title="Median time to restore"
            bars={bars(total.buckets, (b) => b.restoreMedianMs)}
            format={roughDuration}
            tone="bad"
          />
        </div>
      </section>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Sync timeline</h2>
        <p className="muted">
          Bars are syncs (<span className="key key-succeeded">succeeded</span>,{' '}
          <span className="key key-failed">failed, full height</span>); the band under them is health (
          <span className="key band-healthy">Healthy</span>,{' '}
          <span className="key band-progressing">Progressing</span>,{' '}
          <span className="key band-degraded">Degraded</span>); ▼ marks a rollback, ● another command. Hover a
          bar for its commit and who synced it.
        </p>
        {shown.length === 0 ? <p>No apps to show.</p> : null}
        {shown.map((name) => (
          <AppTimeline key={name} app={name} from={data.from} to={data.to} />
        ))}
      </section>
    </>
  );
}

type Bucket = DeliveryMetrics['total']['buckets'][number];

/** One series of the buckets as bars; a bucket without a value is a gap. */
function bars(buckets: readonly Bucket[], pick: (b: Bucket) => number | undefined): Bar[] {
  return buckets.map((b) => {
    const value = pick(b);
    return value === undefined ? { start: b.start } : { start: b.start, value };
  });
}

function AppTimeline({ app, from, to }: { app: string; from: string; to: string }) {
  const { data, error } = useFetch<DeliveryTimeline>(
    withQuery('/api/v1/metrics/timeline', { app, from, to }),
    (e) => e.app === app && refreshOn(e),
  );
  if (error && !data)
    return (
      <ErrorNotice>
        Could not load the timeline of {app}: {error.message}
      </ErrorNotice>
    );
  if (!data) return <Loading what={`the timeline of ${app}`} />;
  return <SyncTimeline timeline={data} />;
}
