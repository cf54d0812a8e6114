import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SERVER_DEFAULTS } from '../../config/index.js';
import { appsOf, EVENT_TYPES, WheelhouseError, type WheelhouseEvent } from '../../core/index.js';
import { principalOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { createEventFanout } from '../event-fanout.js';
import { createEventFrames } from '../event-frames.js';
import { createReader, type Reader } from '../read-access.js';
import { openSse } from '../sse.js';
import { zodRoutes } from '../zod-routes.js';

/**
 * The part of each event an actor may see: events about apps they may not read are dropped, events
 * about no app need read on something, and a source update names only the readable apps. The
 * policy is asked per event (a binding removed while the stream is open counts at once); the
 * reader is remade only when the config changes.
 */
export function visibleTo(
  ctx: Pick<ServerContext, 'config' | 'engine'>,
  actor: string,
): (event: WheelhouseEvent) => WheelhouseEvent | undefined {
  let made: { config: unknown; reader: Reader } | undefined;
  const readerNow = (): Reader => {
    const config = ctx.config();
    if (made?.config !== config || !made) made = { config, reader: createReader(ctx, actor) };
    return made.reader;
  };
  return (event) => {
    const reader = readerNow();
    if (reader.everything) return event;
    const apps = appsOf(event);
    if (apps.length === 0) return reader.may() ? event : undefined;
    if (!apps.some((app) => reader.may(app))) return undefined;
    if (event.type === 'source.updated')
      return { ...event, apps: event.apps.filter((app) => reader.may(app)) };
    return event;
  };
}

/** `GET /api/v1/events`: the engine's event bus as server-sent events, resumable. */
export function eventRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    const frameOf = createEventFrames(ctx.redact);
    const fanout = createEventFanout(ctx.engine.events, frameOf, SERVER_DEFAULTS.sseFanoutFlushMs);
    app.get(
      '/api/v1/events',
      {
        schema: {
          summary: 'Live events as server-sent events; resume with `Last-Event-ID`',
          description: `Each event has \`id\` (resume with the \`Last-Event-ID\` header or \`lastEventId\` query), \`event\` = its type (${EVENT_TYPES.join(', ')}) and \`data\` = the event as JSON. Comments (\`: heartbeat\`) keep the connection alive. When the events after the requested id are no longer held, a \`resync\` event says so: re-read the state you show. \`app\` limits the stream to one app's events.`,
          tags: ['events'],
          querystring: z.strictObject({
            app: z.string().min(1).describe('only events about this app').optional(),
            lastEventId: z.coerce
              .number()
              .int()
              .min(0)
              .describe('same as the Last-Event-ID header')
              .optional(),
          }),
          headers: z.object({
            'last-event-id': z
              .string()
              .regex(/^[0-9]*$/)
              .describe('id of the last event received')
              .optional(),
          }),
          response: {
            200: {
              description: 'An event stream',
              content: {
                'text/event-stream': {
                  schema: z.looseObject({ id: z.number().int(), type: z.enum(EVENT_TYPES), at: z.string() }),
                },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const query = request.query;
        const header = request.headers['last-event-id'];
        const headerId =
          typeof header === 'string' && header !== '' ? Number.parseInt(header, 10) : undefined;
        const lastId = headerId ?? query.lastEventId;
        if (query.app !== undefined) ctx.engine.status(query.app); // NOT_FOUND for a typo, before streaming
        if (lastId !== undefined && !Number.isSafeInteger(lastId)) {
          throw new WheelhouseError('BAD_REQUEST', 'Last-Event-ID must be the integer id of an event');
        }
        const actor = principalOf(request).actor;
        const visible = visibleTo(ctx, actor);
        const shown = (event: WheelhouseEvent): WheelhouseEvent | undefined =>
          query.app === undefined || appsOf(event).includes(query.app) ? visible(event) : undefined;

        const stream = openSse(reply, ctx.streams, { heartbeatMs: ctx.heartbeatMs });
        if (lastId !== undefined) {
          let replay = ctx.engine.events.since(lastId);
          if (replay.length === 0) {
            // Nothing newer, or an id from before a restart (ids start again at 1): tell apart.
            const held = ctx.engine.events.since(0);
            const newest = held.at(-1)?.id ?? 0;
            if (newest < lastId) {
              stream.send({
                event: 'resync',
                data: { reason: 'the server restarted; re-read the state', lastEventId: newest },
              });
              replay = held;
            }
          } else if ((replay[0]?.id ?? 0) > lastId + 1) {
            stream.send({
              event: 'resync',
              data: { reason: 'events were missed; re-read the state', lastEventId: lastId },
            });
          }
          for (const event of replay) {
            const visibleEvent = shown(event);
            if (visibleEvent) stream.sendFrame(frameOf(visibleEvent));
          }
        }
        // Live events from here on, shared with the streams of the same actor and filter.
        fanout.join(`${actor}\n${query.app ?? ''}`, () => shown, stream);
        return reply;
      },
    );
  };
}
