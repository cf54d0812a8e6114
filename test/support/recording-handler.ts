import type { ChatAction, ChatHandler, IncomingMessage } from '../../src/core/index.js';

/** A chat pipeline stand-in that records what an adapter hands on (and may hold it, to show acks do not wait). */
export function recordingHandler(): ChatHandler & {
  messages: IncomingMessage[];
  actions: ChatAction[];
  /** While held, onMessage does not resolve until `release()`. */
  hold(): void;
  release(): void;
} {
  const messages: IncomingMessage[] = [];
  const actions: ChatAction[] = [];
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  return {
    messages,
    actions,
    async onMessage(message) {
      messages.push(message);
      await gate;
    },
    async onAction(action) {
      actions.push(action);
      await gate;
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open();
      gate = undefined;
    },
  };
}
