import type { Block, Health, WheelhouseEvent } from '../../core/index.js';
import { healthLabel, shortSha } from '../commands/format.js';
import { code, context, fields, message, text, truncate } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage, safeStatus } from './notice-helpers.js';

/**
 * Health notifications per episode, so a crash loop does not flood the room: an episode opens
 * when an app becomes Degraded (one message, the thread of the episode), stays open while the
 * app goes back and forth between Degraded and Progressing (each restart), and closes when the
 * app is Healthy (or Suspended) again (a reply in the thread). While it is open, at most one
 * summary reply per `summaryEveryMs` says it is still degraded, with the latest reason. Never a
 * second top-level message for the same episode. Time comes from the injected clock.
 */
export interface HealthEpisodes {
  /** The notice (if any) a `health.changed` event gives. */
  observe(
    event: Extract<WheelhouseEvent, { type: 'health.changed' }>,
    ctx: NoticeContext,
  ): Notice | undefined;
}

interface Episode {
  /** The thread every notice of the episode goes to. */
  operation: string;
  environment: string;
  openedAt: number;
  lastSummaryAt: number;
  /** How many times it became Degraded in this episode (each restart of a crash loop). */
  relapses: number;
  latest: Health;
}

const CLOSES: ReadonlySet<Health['status']> = new Set(['Healthy', 'Suspended']);

export function createHealthEpisodes(options: { now: () => number; summaryEveryMs: number }): HealthEpisodes {
  const open = new Map<string, Episode>();
  return {
    observe(event, ctx) {
      const episode = open.get(event.app);
      if (!episode) {
        if (event.to.status !== 'Degraded') return undefined;
        const at = options.now();
        const opened = openingNotice(event.app, event.from, event.to, ctx, at);
        if (!opened) return undefined;
        open.set(event.app, {
          operation: opened.operation,
          environment: opened.environment,
          openedAt: at,
          lastSummaryAt: at,
          relapses: 1,
          latest: event.to,
        });
        return opened;
      }
      if (CLOSES.has(event.to.status)) {
        open.delete(event.app);
        return episodeNotice('health.recovered', event.app, episode, ctx, [
          text(
            `${healthLabel(event.to.status)}: ${event.app} (${episode.environment}) is ${event.to.status.toLowerCase()} again after ${duration(options.now() - episode.openedAt)}`,
          ),
        ]);
      }
      if (event.to.status === 'Degraded') {
        episode.relapses++;
        episode.latest = event.to;
      }
      const at = options.now();
      if (at - episode.lastSummaryAt < options.summaryEveryMs) return undefined;
      episode.lastSummaryAt = at;
      return episodeNotice('health.degraded', event.app, episode, ctx, [
        text(
          `⏳ still degraded: ${event.app} (${episode.environment}) for ${duration(at - episode.openedAt)}, degraded ${episode.relapses} times${reason(episode.latest)}`,
        ),
      ]);
    },
  };
}

function openingNotice(
  app: string,
  from: Health,
  to: Health,
  ctx: NoticeContext,
  at: number,
): Notice | undefined {
  const env = environmentOf(ctx, app);
  if (env === undefined) return undefined;
  const status = safeStatus(ctx, app);
  const blocks: Block[] = [
    text(`${healthLabel('Degraded')}: ${app} (${env}) is degraded${reason(to)}`),
    fields({
      Revision: `${shortSha(status?.revision)}${status?.commitSubject ? ` ${status.commitSubject}` : ''}`,
      Was: healthLabel(from.status),
      'Last sync': status?.lastSync ? `${status.lastSync.result} by ${status.lastSync.actor}` : '-',
    }),
    context(`detected by Wheelhouse · \`status ${app}\` · \`logs ${app}\` · updates follow in this thread`),
  ];
  const details = to.message?.split('\n').slice(1).join('\n').trim();
  if (details) blocks.splice(1, 0, code(truncate(details, 2000)));
  return {
    event: 'health.degraded',
    app,
    environment: env,
    // The thread of the sync that caused it, when there was one; else a thread of its own.
    operation: status?.lastSync?.id ?? `health:${app}:${at}`,
    fingerprint: `health.degraded:${app}:opened:${at}`,
    message: redactMessage(message(blocks), ctx.redact),
  };
}

function episodeNotice(
  event: 'health.degraded' | 'health.recovered',
  app: string,
  episode: Episode,
  ctx: NoticeContext,
  blocks: Block[],
): Notice {
  return {
    event,
    app,
    environment: episode.environment,
    operation: episode.operation,
    fingerprint: `${event}:${app}:${episode.operation}:${blocks.map((b) => ('text' in b ? b.text : '')).join('|')}`,
    message: redactMessage(message(blocks), ctx.redact),
  };
}

/** ` — first line of the message`, or nothing. */
function reason(health: Health): string {
  const first = health.message?.split('\n')[0]?.trim();
  return first ? ` — ${first}` : '';
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))}s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
