import { randomBytes } from 'node:crypto';
import type {
  ChatAdapter,
  ChatHandler,
  ChatMessage,
  EventBus,
  Logger,
  MessageRef,
  Store,
  StoredChatMessage,
} from '../../../core/index.js';
import { errorMessage, mapMessageText, WheelhouseError } from '../../../core/index.js';
import { escapeControl } from '../../../util/escape-control.js';
import { createInFlight } from '../../../util/index.js';

export const WEB_PLATFORM = 'web';
/** The author of the bot's messages in the built-in chat. */
export const BOT_AUTHOR = 'wheelhouse';

export interface WebChatOptions {
  store: Store;
  /** New and updated messages are announced here (`chat.message`, carried by the event stream). */
  events: EventBus;
  log: Logger;
  /** Applied to people's text before it is stored (the command itself sees the original). */
  redact?: (text: string) => string;
  now?: () => Date;
}

/** The built-in chat: rooms and threads in the store, live over the API's event stream. */
export interface WebChatAdapter extends ChatAdapter {
  /**
   * A person wrote in a room: store it, announce it, and hand it to the chat pipeline without
   * waiting for the command (its replies follow in the thread). Resolves with the stored message.
   */
  receive(input: { room: string; user: string; text: string; thread?: string }): Promise<StoredChatMessage>;
  /** A person clicked a button on one of the bot's messages. */
  click(input: {
    room: string;
    user: string;
    messageId: string;
    action: string;
    value: string;
  }): Promise<void>;
  /** Resolves when every command handed on so far has settled (tests, shutdown). */
  idle(): Promise<void>;
}

/** Time-ordered, unique message ids: `m` + milliseconds (base 36) + random. */
export function newMessageId(now: Date): string {
  return `m${now.getTime().toString(36)}${randomBytes(5).toString('hex')}`;
}

export const ROOM_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export function createWebChatAdapter(options: WebChatOptions): WebChatAdapter {
  const now = options.now ?? (() => new Date());
  const redact = options.redact ?? ((t: string) => t);
  let handler: ChatHandler | undefined;
  const inFlight = createInFlight();

  const track = (work: Promise<void>) => {
    void inFlight.track(work);
  };

  async function store(room: string, author: string, bot: boolean, message: ChatMessage, thread?: string) {
    const at = now().toISOString();
    const stored: StoredChatMessage = {
      id: newMessageId(now()),
      room,
      ...(thread ? { thread } : {}),
      author,
      bot,
      text: message.text,
      body: message,
      createdAt: at,
      updatedAt: at,
    };
    await options.store.insertChatMessage(stored);
    options.events.publish({
      type: 'chat.message',
      room,
      messageId: stored.id,
      ...(thread ? { thread } : {}),
      updated: false,
    });
    return stored;
  }

  async function threadRoot(room: string, thread: string | undefined): Promise<string | undefined> {
    if (thread === undefined) return undefined;
    const root = await options.store.getChatMessage(thread);
    if (!root || root.room !== room) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `there is no message ${thread} in room ${room} to reply to; leave thread out to start a new one`,
        {
          details: { room },
        },
      );
    }
    // Replies to a reply belong to the same thread.
    return root.thread ?? root.id;
  }

  const adapter: WebChatAdapter = {
    platform: WEB_PLATFORM,
    async start(h) {
      handler = h;
    },
    async stop() {
      await adapter.idle();
      handler = undefined;
    },
    async post(target, raw) {
      // Control characters from Git, locks and people are stored shown, never passed on.
      const message = mapMessageText(raw, escapeControl);
      const stored = await store(target.channel, BOT_AUTHOR, true, message, target.thread);
      return {
        platform: WEB_PLATFORM,
        channel: target.channel,
        ...(target.thread ? { thread: target.thread } : {}),
        id: stored.id,
      };
    },
    async update(ref: MessageRef, raw) {
      const message = mapMessageText(raw, escapeControl);
      await options.store.updateChatMessage(ref.id, {
        text: message.text,
        body: message,
        updatedAt: now().toISOString(),
      });
      options.events.publish({
        type: 'chat.message',
        room: ref.channel,
        messageId: ref.id,
        ...(ref.thread ? { thread: ref.thread } : {}),
        updated: true,
      });
    },
    async receive(input) {
      if (!ROOM_NAME.test(input.room)) {
        throw new WheelhouseError(
          'BAD_REQUEST',
          `room name ${JSON.stringify(input.room)} is not valid: letters, digits, '.', '_' and '-', up to 64`,
        );
      }
      const thread = await threadRoot(input.room, input.thread);
      const safe = escapeControl(redact(input.text));
      const stored = await store(
        input.room,
        input.user,
        false,
        { text: safe, blocks: [{ type: 'text', text: safe }] },
        thread,
      );
      const h = handler;
      if (h) {
        track(
          h
            .onMessage({
              platform: WEB_PLATFORM,
              channel: input.room,
              ...(thread ? { thread } : {}),
              user: input.user,
              text: input.text,
              ts: stored.id,
            })
            .catch((err) => options.log.error({ err: errorMessage(err) }, 'chat command failed')),
        );
      }
      return stored;
    },
    async click(input) {
      const message = await options.store.getChatMessage(input.messageId);
      if (!message || message.room !== input.room || !message.bot) {
        throw new WheelhouseError(
          'NOT_FOUND',
          `there is no bot message ${input.messageId} in room ${input.room}`,
          {
            details: { room: input.room },
          },
        );
      }
      const h = handler;
      if (!h) return;
      track(
        h
          .onAction({
            platform: WEB_PLATFORM,
            user: input.user,
            action: input.action,
            value: input.value,
            message: {
              platform: WEB_PLATFORM,
              channel: input.room,
              ...(message.thread ? { thread: message.thread } : {}),
              id: message.id,
            },
          })
          .catch((err) => options.log.error({ err: errorMessage(err) }, 'chat action failed')),
      );
    },
    async idle() {
      await inFlight.idle();
    },
  };
  return adapter;
}
