import type { EventBus, WheelhouseEvent } from '../core/index.js';

/**
 * The in-process event bus. Keeps the last `replay` events so SSE clients can resume with
 * `Last-Event-ID`; a listener that throws never breaks the publisher or other listeners.
 */
export function createEventBus(
  options: { replay?: number; onListenerError?: (err: unknown) => void } = {},
): EventBus {
  const capacity = options.replay ?? 1000;
  // A ring: the oldest event is at `oldest` once the buffer is full.
  const buffer: WheelhouseEvent[] = [];
  let oldest = 0;
  const listeners = new Set<(event: WheelhouseEvent) => void>();
  // The listeners as they were when the event was published (one that subscribes meanwhile
  // starts with the next event); rebuilt only when they change, not per event.
  let snapshot: ((event: WheelhouseEvent) => void)[] = [];
  let nextId = 1;

  const deliver = (event: WheelhouseEvent): WheelhouseEvent => {
    if (buffer.length < capacity) buffer.push(event);
    else if (capacity > 0) {
      buffer[oldest] = event;
      oldest = (oldest + 1) % capacity;
    }
    for (const listener of snapshot) {
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
      snapshot = [...listeners];
      return () => {
        const removed = listeners.delete(listener);
        snapshot = [...listeners];
        return removed;
      };
    },
    since(id) {
      return [...buffer.slice(oldest), ...buffer.slice(0, oldest)].filter((event) => event.id > id);
    },
  };
}
