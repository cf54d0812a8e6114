import type pg from 'pg';
import { type EventBus, type EventPayload, errorMessage, type Logger } from '../../core/index.js';

export const EVENTS_CHANNEL = 'wheelhouse_events';

/** NOTIFY carries at most 8000 bytes: an event is sent in parts of this many bytes (base64 below it). */
const PART_BYTES = 5000;
/** Events waiting to be sent while the database is slow or away; past this, the oldest are dropped. */
const MAX_WAITING = 10_000;

/**
 * Carries the engine's events between replicas through PostgreSQL's NOTIFY, so a live view (SSE:
 * the dashboard, `sync --wait`, chat progress) on any replica sees the events of every replica.
 * Each event is one transaction of NOTIFYs (one per part, so events of any size pass), sent in the
 * order they were published; the receiver puts the parts together and publishes the event on its
 * own bus marked with the replica it came from.
 */
export function createEventRelay(options: { replicaId: string; pool: pg.Pool; log: Logger }) {
  const { replicaId, pool, log } = options;
  let bus: EventBus | undefined;
  let off: (() => void) | undefined;
  let chain: Promise<void> = Promise.resolve();
  let waiting = 0;
  let failing = false;
  let sequence = 0;
  /** Parts received of events not yet whole, by `<replica> <sequence>`. */
  const partial = new Map<string, string[]>();

  const send = async (message: string): Promise<void> => {
    const body = Buffer.from(message, 'utf8');
    const id = `${replicaId} ${++sequence}`;
    const total = Math.max(1, Math.ceil(body.length / PART_BYTES));
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (let part = 0; part < total; part++) {
        const chunk = body.subarray(part * PART_BYTES, (part + 1) * PART_BYTES).toString('base64');
        await client.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, `${id} ${part} ${total} ${chunk}`]);
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };

  const enqueue = (message: string): void => {
    if (waiting >= MAX_WAITING) return; // the database is away: the warning below already says events are missed
    waiting++;
    chain = chain
      .then(() => send(message))
      .then(
        () => {
          if (failing) log.info('relaying events to the other replicas again');
          failing = false;
        },
        (err: unknown) => {
          if (!failing)
            log.warn(
              { err: errorMessage(err) },
              `could not relay an event to the other replicas through the database: ${errorMessage(err)}; live views on other replicas miss it (history and status are unaffected); retried with the next event`,
            );
          failing = true;
        },
      )
      .finally(() => {
        waiting--;
      });
  };

  return {
    /** Relays what is published on this bus, and publishes there what other replicas relay. */
    attach(target: EventBus): void {
      bus = target;
      off?.();
      off = target.subscribe((event) => {
        if (event.replica !== undefined) return; // relayed here: its own replica relayed it already
        const { id: _id, replica: _replica, ...payload } = event;
        enqueue(JSON.stringify(payload));
      });
    },
    /** One NOTIFY payload on the events channel. */
    received(payload: string): void {
      const [origin, seq, partText, totalText, chunk] = payload.split(' ');
      if (!origin || origin === replicaId || chunk === undefined) return;
      const key = `${origin} ${seq}`;
      const parts = partial.get(key) ?? [];
      parts[Number(partText)] = chunk;
      const total = Number(totalText);
      if (parts.filter((p) => p !== undefined).length < total) {
        partial.set(key, parts);
        return;
      }
      partial.delete(key);
      try {
        const text = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64'))).toString('utf8');
        const { at, ...event } = JSON.parse(text) as EventPayload & { at: string };
        bus?.publishRelayed(event as EventPayload, { replica: origin, at });
      } catch (err) {
        log.warn(
          { err: errorMessage(err), replica: origin },
          'could not read an event relayed by another replica',
        );
      }
    },
    /** Sends what is waiting, then stops relaying. */
    async stop(): Promise<void> {
      off?.();
      off = undefined;
      await chain;
    },
  };
}

export type EventRelay = ReturnType<typeof createEventRelay>;
