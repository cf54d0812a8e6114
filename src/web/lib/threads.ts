/** The built-in chat's messages grouped into threads, oldest first. Pure. */

export interface MessageLike {
  id: string;
  thread?: string;
  createdAt: string;
}

export interface Thread<T extends MessageLike> {
  /** The thread's first message (undefined when it is older than what was loaded). */
  root: T | undefined;
  id: string;
  replies: T[];
}

/** Top-level messages each with their replies; replies to a root not loaded form a thread of their own. */
export function groupThreads<T extends MessageLike>(messages: readonly T[]): Thread<T>[] {
  const threads = new Map<string, Thread<T>>();
  const order: string[] = [];
  for (const message of messages) {
    const id = message.thread ?? message.id;
    let thread = threads.get(id);
    if (!thread) {
      thread = { root: undefined, id, replies: [] };
      threads.set(id, thread);
      order.push(id);
    }
    if (message.thread === undefined) thread.root = message;
    else thread.replies.push(message);
  }
  return order.map((id) => threads.get(id) as Thread<T>);
}
