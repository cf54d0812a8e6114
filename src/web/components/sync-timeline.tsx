import type { DeliveryTimeline } from '../api/types.js';
import { actorLabel } from '../lib/format.js';

const WIDTH = 720;
const BARS = 40;
const BAND = 10;
const MARKS = 14;
const HEIGHT = MARKS + BARS + BAND + 2;

/** Health as a colour-blind-safe band colour (Okabe–Ito), always said in words too. */
const BAND_CLASS: Record<string, string> = {
  Healthy: 'band-healthy',
  Progressing: 'band-progressing',
  Suspended: 'band-suspended',
  Degraded: 'band-degraded',
};

/**
 * One app's period as a strip: a bar per sync (coloured and labelled by result; hover names the
 * commit and the person), the app's health as a band underneath, and markers above for rollbacks
 * (▼) and other commands people ran (●). A list under it says the same in words.
 */
export function SyncTimeline({ timeline }: { timeline: DeliveryTimeline }) {
  const from = Date.parse(timeline.from);
  const to = Date.parse(timeline.to);
  const x = (iso: string) => ((Math.min(to, Math.max(from, Date.parse(iso))) - from) / (to - from)) * WIDTH;
  const bands = timeline.health.map((h, i) => ({
    status: h.status,
    x1: x(h.at),
    x2: x(timeline.health[i + 1]?.at ?? timeline.to),
  }));
  const failed = timeline.syncs.filter((s) => s.result === 'failed').length;
  return (
    <figure className="sync-timeline">
      <figcaption>
        <strong>{timeline.app}</strong>: {timeline.syncs.length} syncs ({failed} failed),{' '}
        {timeline.rollbacks.length} rollbacks, {timeline.actions.length} commands
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Sync timeline of ${timeline.app}: ${timeline.syncs.length} syncs, ${failed} failed, ${timeline.rollbacks.length} rollbacks`}
      >
        {bands.map((b) => (
          <rect
            key={`${b.x1}-${b.status}`}
            x={b.x1}
            y={MARKS + BARS + 2}
            width={Math.max(1, b.x2 - b.x1)}
            height={BAND}
            className={`band ${BAND_CLASS[b.status] ?? 'band-other'}`}
          >
            <title>{b.status}</title>
          </rect>
        ))}
        {timeline.syncs.map((s) => (
          <rect
            key={s.id}
            x={x(s.startedAt) - 1.5}
            y={MARKS + (s.result === 'failed' ? 0 : 8)}
            width={3}
            height={s.result === 'failed' ? BARS : BARS - 8}
            className={`sync-bar sync-${s.result}`}
            data-result={s.result}
          >
            <title>{syncTitle(s)}</title>
          </rect>
        ))}
        {timeline.rollbacks.map((r) => (
          <path
            key={`rb-${r.at}`}
            d={`M${x(r.at) - 5},1 L${x(r.at) + 5},1 L${x(r.at)},11 Z`}
            className="marker-rollback"
          >
            <title>{`rollback asked by ${actorLabel(r.actor)} at ${r.at}`}</title>
          </path>
        ))}
        {timeline.actions
          .filter((a) => a.command !== 'rollback')
          .map((a) => (
            <circle key={`a-${a.at}-${a.command}`} cx={x(a.at)} cy={7} r={3.5} className="marker-action">
              <title>{`${a.command} by ${actorLabel(a.actor)}${a.text ? `: ${a.text}` : ''}`}</title>
            </circle>
          ))}
      </svg>
      <details>
        <summary>Syncs of {timeline.app} in words</summary>
        <ul>
          {timeline.syncs.map((s) => (
            <li key={s.id}>{syncTitle(s)}</li>
          ))}
        </ul>
      </details>
    </figure>
  );
}

function syncTitle(s: DeliveryTimeline['syncs'][number]): string {
  const commit = s.commit
    ? `${s.commit.sha.slice(0, 7)} “${s.commit.subject}” by ${s.commit.author}`
    : s.revision.slice(0, 7);
  return `${s.startedAt.slice(0, 16).replace('T', ' ')} · ${s.result} · ${commit} · synced by ${actorLabel(s.actor)}`;
}
