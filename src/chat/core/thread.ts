import type { ChatAdapter, ChatMessage, Logger, MessageRef } from '../../core/index.js';
import { errorMessage } from '../../core/index.js';

/**
 * The bot's reply to one request: the first `send` posts it in the request's thread (the
 * acknowledgement), later sends update that same message as the work proceeds. Updates are
 * serialized and coalesced — while one is in flight only the newest waiting one is kept — so a
 * chatty operation never floods the platform; the last send always lands.
 */
export interface ThreadReply {
  readonly channel: string;
  readonly thread: string;
  /** The reply message, once posted. */
  ref(): MessageRef | undefined;
  send(message: ChatMessage): Promise<MessageRef | undefined>;
  /** A separate new message in the same thread. */
  post(message: ChatMessage): Promise<MessageRef | undefined>;
  /** Resolves when every send so far has landed. */
  flush(): Promise<void>;
}

export function createThreadReply(
  adapter: ChatAdapter,
  target: { channel: string; thread: string },
  log: Logger,
  existing?: MessageRef,
): ThreadReply {
  let ref: MessageRef | undefined = existing;
  let chain: Promise<void> = Promise.resolve();
  let waiting: ChatMessage | undefined;
  let generation = 0;

  const deliver = async (message: ChatMessage): Promise<void> => {
    try {
      if (ref) await adapter.update(ref, message);
      else ref = await adapter.post({ channel: target.channel, thread: target.thread }, message);
    } catch (err) {
      log.warn({ platform: adapter.platform, err: errorMessage(err) }, 'could not deliver a chat reply');
    }
  };

  return {
    channel: target.channel,
    thread: target.thread,
    ref: () => ref,
    send(message) {
      waiting = message;
      const mine = ++generation;
      chain = chain.then(async () => {
        // A newer send queued behind this one carries the newer text: skip to it.
        if (mine !== generation || waiting === undefined) return;
        const next = waiting;
        waiting = undefined;
        await deliver(next);
      });
      return chain.then(() => ref);
    },
    async post(message) {
      await chain;
      try {
        return await adapter.post({ channel: target.channel, thread: target.thread }, message);
      } catch (err) {
        log.warn({ platform: adapter.platform, err: errorMessage(err) }, 'could not post a chat message');
        return undefined;
      }
    },
    flush: () => chain,
  };
}
