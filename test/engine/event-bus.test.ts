import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/core/index.js';
import { createEventBus } from '../../src/engine/event-bus.js';

const refresh = (app: string): EventPayload => ({ type: 'config.loaded', revision: app });

describe('the event bus', () => {
  it('replays the last events in order once its ring has wrapped', () => {
    const bus = createEventBus({ replay: 3 });
    for (const app of ['a', 'b', 'c', 'd', 'e']) bus.publish(refresh(app));
    expect(bus.since(0).map((e) => [e.id, e.type === 'config.loaded' && e.revision])).toEqual([
      [3, 'c'],
      [4, 'd'],
      [5, 'e'],
    ]);
    expect(bus.since(4).map((e) => e.id)).toEqual([5]);
    expect(bus.since(5)).toEqual([]);
  });

  it('delivers to each listener, past one that throws, and not to one that left', () => {
    const errors: unknown[] = [];
    const bus = createEventBus({ onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken listener');
    });
    const leave = bus.subscribe((e) => seen.push(`first:${e.id}`));
    let subscribed = false;
    bus.subscribe((e) => {
      seen.push(`second:${e.id}`);
      // Subscribing while an event is delivered starts with the next event.
      if (!subscribed) bus.subscribe((next) => seen.push(`late:${next.id}`));
      subscribed = true;
    });
    bus.publish(refresh('a'));
    leave();
    bus.publish(refresh('b'));
    expect(seen).toEqual(['first:1', 'second:1', 'second:2', 'late:2']);
    expect(errors).toHaveLength(2);
  });
});
