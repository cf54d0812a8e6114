import type { FastifyInstance, FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatMessage, MessageStatus, Store, StoredChatMessage } from '../../../core/index.js';
import { chatMessageSchema, commandEntrySchema } from '../../../wire/index.js';
import { ROOM_NAME, type WebChatAdapter } from './adapter.js';

export interface WebChatRouteOptions {
  adapter: WebChatAdapter;
  store: Store;
  /** The user behind the request's token (the server's auth hook has run). */
  userOf(request: FastifyRequest): string;
  /** Applied to every text the routes return. */
  redact?: (text: string) => string;
  /** The command catalog, for suggestions as people type (`GET /api/v1/chat/commands`). */
  commands?: readonly z.input<typeof commandEntrySchema>[];
  /** Longest message a person may post; default 4000 characters. */
  maxTextLength?: number;
}

/** A chat message as the API shows it. */
export interface ChatMessageView {
  id: string;
  room: string;
  thread?: string;
  author: string;
  bot: boolean;
  text: string;
  /** The neutral rich message (blocks), for the bot's messages. */
  message?: ChatMessage;
  /** How the work a bot message reports on stands: clients wait for done / failed / refused / awaiting-approval. */
  status?: MessageStatus;
  createdAt: string;
  updatedAt: string;
}

const roomParams = z.object({ room: z.string().regex(ROOM_NAME).describe('room name, e.g. ops') });

function isChatMessage(value: unknown): value is ChatMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    'text' in value &&
    Array.isArray((value as ChatMessage).blocks)
  );
}

export function messageView(stored: StoredChatMessage, redact: (text: string) => string): ChatMessageView {
  const body = isChatMessage(stored.body) ? stored.body : undefined;
  const message = body
    ? (JSON.parse(JSON.stringify(body), (_k, v) => (typeof v === 'string' ? redact(v) : v)) as ChatMessage)
    : undefined;
  return {
    id: stored.id,
    room: stored.room,
    ...(stored.thread ? { thread: stored.thread } : {}),
    author: stored.author,
    bot: stored.bot,
    text: redact(stored.text),
    ...(message && stored.bot ? { message } : {}),
    ...(body?.status ? { status: body.status } : {}),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

/**
 * The built-in chat's HTTP routes, a fastify plugin the server registers behind its token check:
 * `GET/POST /api/v1/chat/rooms/{room}/messages` (the sender is the token's user), button clicks,
 * rooms and the command catalog. New and updated messages go out as `chat.message` events.
 */
export function webChatRoutes(options: WebChatRouteOptions) {
  const redact = options.redact ?? ((t: string) => t);
  const maxText = options.maxTextLength ?? 4000;
  return async (scope: FastifyInstance): Promise<void> => {
    // The schemas are zod's: they type the handlers and document the routes.
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/chat/rooms',
      {
        schema: {
          summary: 'Rooms of the built-in chat that hold messages',
          tags: ['chat'],
          response: {
            200: z.object({ rooms: z.array(z.string()) }),
          },
        },
      },
      async () => ({ rooms: await options.store.listChatRooms() }),
    );

    app.get(
      '/api/v1/chat/rooms/:room/messages',
      {
        schema: {
          summary: 'Messages of a room, oldest first (a thread with `thread`, new ones with `after`)',
          tags: ['chat'],
          params: roomParams,
          querystring: z.strictObject({
            thread: z
              .string()
              .describe('id of a thread’s first message: that message and its replies')
              .optional(),
            after: z.string().describe('only messages posted after this message id').optional(),
            before: z.string().describe('only messages posted before this message id').optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ messages: z.array(chatMessageSchema) }) },
        },
      },
      async (request) => {
        const { room } = request.params;
        const query = request.query;
        const messages = await options.store.listChatMessages(room, {
          ...(query.thread ? { thread: query.thread } : {}),
          ...(query.after ? { afterId: query.after } : {}),
          ...(query.before ? { before: query.before } : {}),
          limit: query.limit,
        });
        return { messages: messages.map((m) => messageView(m, redact)) };
      },
    );

    app.post(
      '/api/v1/chat/rooms/:room/messages',
      {
        schema: {
          summary: 'Post a message as the token’s user; a command gets its replies in the thread',
          description:
            'Answers 201 with the stored message at once. The bot acknowledges in the thread (`thread` = this message’s id, or the thread it was posted in) within milliseconds and updates its reply as the work proceeds; follow `chat.message` events on `GET /api/v1/events`.',
          tags: ['chat'],
          params: roomParams,
          body: z.strictObject({
            text: z.string().min(1).max(maxText),
            thread: z.string().describe('reply in this thread (the id of its first message)').optional(),
          }),
          response: { 201: z.object({ message: chatMessageSchema }) },
        },
      },
      async (request, reply) => {
        const { room } = request.params;
        const body = request.body;
        const stored = await options.adapter.receive({
          room,
          user: options.userOf(request),
          text: body.text,
          ...(body.thread ? { thread: body.thread } : {}),
        });
        return reply.code(201).send({ message: messageView(stored, redact) });
      },
    );

    app.post(
      '/api/v1/chat/rooms/:room/actions',
      {
        schema: {
          summary:
            'Click a button of a bot message (Approve / Deny); the clicker is authorized like any actor',
          tags: ['chat'],
          params: roomParams,
          body: z.strictObject({
            messageId: z.string().min(1),
            action: z.string().min(1).max(64),
            value: z.string().min(1).max(256),
          }),
          response: { 202: z.object({ accepted: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const { room } = request.params;
        const body = request.body;
        await options.adapter.click({ room, user: options.userOf(request), ...body });
        return reply.code(202).send({ accepted: true });
      },
    );

    app.get(
      '/api/v1/chat/commands',
      {
        schema: {
          summary: 'Every chat command with its usage line, for suggestions as people type',
          tags: ['chat'],
          response: {
            200: z.object({ commands: z.array(commandEntrySchema).readonly() }),
          },
        },
      },
      async () => ({ commands: options.commands ?? [] }),
    );
  };
}
