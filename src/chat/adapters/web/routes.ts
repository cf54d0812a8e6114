import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChatMessage, Store, StoredChatMessage } from '../../../core/index.js';
import { ROOM_NAME, type WebChatAdapter } from './adapter.js';

export interface WebChatRouteOptions {
  adapter: WebChatAdapter;
  store: Store;
  /** The user behind the request's token (the server's auth hook has run). */
  userOf(request: FastifyRequest): string;
  /** Applied to every text the routes return. */
  redact?: (text: string) => string;
  /** The command catalog, for suggestions as people type (`GET /api/v1/chat/commands`). */
  commands?: readonly unknown[];
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
  status?: string;
  createdAt: string;
  updatedAt: string;
}

const roomParams = {
  type: 'object',
  required: ['room'],
  properties: { room: { type: 'string', pattern: ROOM_NAME.source, description: 'room name, e.g. ops' } },
} as const;

const messageSchema = {
  type: 'object',
  required: ['id', 'room', 'author', 'bot', 'text', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    room: { type: 'string' },
    thread: { type: 'string' },
    author: { type: 'string' },
    bot: { type: 'boolean' },
    text: { type: 'string' },
    message: { type: 'object', additionalProperties: true },
    status: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

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
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/v1/chat/rooms',
      {
        schema: {
          summary: 'Rooms of the built-in chat that hold messages',
          tags: ['chat'],
          response: {
            200: {
              type: 'object',
              required: ['rooms'],
              properties: { rooms: { type: 'array', items: { type: 'string' } } },
            },
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
          querystring: {
            type: 'object',
            properties: {
              thread: {
                type: 'string',
                description: 'id of a thread’s first message: that message and its replies',
              },
              after: { type: 'string', description: 'only messages posted after this message id' },
              before: { type: 'string', description: 'only messages posted before this message id' },
              limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            },
            additionalProperties: false,
          },
          response: {
            200: {
              type: 'object',
              required: ['messages'],
              properties: { messages: { type: 'array', items: messageSchema } },
            },
          },
        },
      },
      async (request) => {
        const { room } = request.params as { room: string };
        const query = request.query as { thread?: string; after?: string; before?: string; limit?: number };
        const messages = await options.store.listChatMessages(room, {
          ...(query.thread ? { thread: query.thread } : {}),
          ...(query.after ? { afterId: query.after } : {}),
          ...(query.before ? { before: query.before } : {}),
          limit: query.limit ?? 100,
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
          body: {
            type: 'object',
            required: ['text'],
            properties: {
              text: { type: 'string', minLength: 1, maxLength: maxText },
              thread: { type: 'string', description: 'reply in this thread (the id of its first message)' },
            },
            additionalProperties: false,
          },
          response: {
            201: { type: 'object', required: ['message'], properties: { message: messageSchema } },
          },
        },
      },
      async (request, reply) => {
        const { room } = request.params as { room: string };
        const body = request.body as { text: string; thread?: string };
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
          body: {
            type: 'object',
            required: ['messageId', 'action', 'value'],
            properties: {
              messageId: { type: 'string', minLength: 1 },
              action: { type: 'string', minLength: 1, maxLength: 64 },
              value: { type: 'string', minLength: 1, maxLength: 256 },
            },
            additionalProperties: false,
          },
          response: {
            202: { type: 'object', required: ['accepted'], properties: { accepted: { type: 'boolean' } } },
          },
        },
      },
      async (request, reply) => {
        const { room } = request.params as { room: string };
        const body = request.body as { messageId: string; action: string; value: string };
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
            200: {
              type: 'object',
              required: ['commands'],
              properties: {
                commands: { type: 'array', items: { type: 'object', additionalProperties: true } },
              },
            },
          },
        },
      },
      async () => ({ commands: options.commands ?? [] }),
    );
  };
}
