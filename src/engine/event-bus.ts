import type { EventBus, WheelhouseEvent } from '../core/index.js';

/**
 * The in-process event bus. Keeps the last `replay` events so SSE clients can resume with
 * `Last-Event-ID`; a listener that throws never breaks the publisher or other listeners.
 */
export function createEventBus(
  options: { replay?: number; onListenerError?: (err: unknown) => void } = {},
): EventBus {
  const capacity = options.replay ?? 1000;
  const buffer: WheelhouseEvent[] = [];
  const listeners = new Set<(event: WheelhouseEvent) => void>();
  let nextId = 1;

  const deliver = (event: WheelhouseEvent): WheelhouseEvent => {
    buffer.push(event);
    if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity);
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        options.onListenerError?.(err);
      }
    }
    return event;
  };

  return {
    publish: (payload) =>
      deliver({ ...payload, id: nextId++, at: new Date().toISOString() } as WheelhouseEvent),
    publishRelayed: (payload, from) =>
      deliver({ ...payload, id: nextId++, at: from.at, replica: from.replica } as WheelhouseEvent),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(id) {
      return buffer.filter((event) => event.id > id);
    },
  };
}
