import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload, WheelhouseEvent } from '../../src/core/index.js';
import { createEventBus } from '../../src/engine/event-bus.js';
import { createEventFanout, type EventView } from '../../src/server/event-fanout.js';
import type { SseStream } from '../../src/server/sse.js';

const progress = (app: string, step: string): EventPayload => ({
  type: 'sync.progress',
  app,
  syncId: 's',
  step,
  message: step,
});

/** A stream that records each batch it is given; `close()` ends it as a client leaving would. */
function recordingStream() {
  const controller = new AbortController();
  const batches: Buffer[] = [];
  const stream = {
    batches,
    closed: false,
    signal: controller.signal,
    sendBatch(batch: Buffer) {
      batches.push(batch);
      return true;
    },
    close() {
      stream.closed = true;
      controller.abort();
    },
  };
  return stream;
}
const asStream = (s: ReturnType<typeof recordingStream>) => s as unknown as SseStream;
/** The event ids in a batch, in order. */
const ids = (batch: Buffer | undefined) => (batch?.toString() ?? '').split('\n\n').filter(Boolean);

// The frame is the event's id, so a batch reads as the ids it holds.
const frameOf = (event: WheelhouseEvent) => Buffer.from(`${event.id}\n\n`);

describe('the event fan-out', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('narrows each event once per group and writes one shared batch to every stream of it', async () => {
    const bus = createEventBus();
    const fanout = createEventFanout(bus, frameOf, 50);
    let narrowed = 0;
    const everything: EventView = (event) => {
      narrowed++;
      return event;
    };
    const streams = [recordingStream(), recordingStream(), recordingStream()];
    for (const stream of streams) fanout.join('admin\n', () => everything, asStream(stream));

    bus.publish(progress('a', '1')); // after a quiet spell: out at once
    expect(streams.map((s) => s.batches.map(ids))).toEqual([[['1']], [['1']], [['1']]]);
    for (let i = 2; i <= 6; i++) bus.publish(progress('a', String(i)));
    expect(streams[0]?.batches).toHaveLength(1); // the burst waits for the flush
    await vi.advanceTimersByTimeAsync(50);

    expect(narrowed).toBe(6); // once per event, not once per event per stream
    const second = streams.map((s) => s.batches[1]);
    expect(ids(second[0])).toEqual(['2', '3', '4', '5', '6']);
    expect(second[1]).toBe(second[0]); // the same bytes, made once
    expect(second[2]).toBe(second[0]);
    expect(fanout.groups).toBe(1);
  });

  it('gives a stream that joins while a batch is pending only what was published after it joined', async () => {
    const bus = createEventBus();
    const fanout = createEventFanout(bus, frameOf, 50);
    const early = recordingStream();
    const late = recordingStream();
    fanout.join('admin\n', () => (e) => e, asStream(early));
    bus.publish(progress('a', '1')); // out at once
    bus.publish(progress('a', '2')); // pending
    fanout.join('admin\n', () => (e) => e, asStream(late));
    bus.publish(progress('a', '3'));
    await vi.advanceTimersByTimeAsync(50);
    bus.publish(progress('a', '4'));
    await vi.advanceTimersByTimeAsync(50);

    expect(early.batches.map(ids)).toEqual([['1'], ['2', '3'], ['4']]);
    expect(late.batches.map(ids)).toEqual([['3'], ['4']]);
  });

  it('keeps groups apart by key, each with its own view', async () => {
    const bus = createEventBus();
    const fanout = createEventFanout(bus, frameOf, 50);
    const admin = recordingStream();
    const teamA = recordingStream();
    fanout.join('admin\n', () => (e) => e, asStream(admin));
    const onlyA: EventView = (e) => ('app' in e && e.app === 'a' ? e : undefined);
    fanout.join('alice\n', () => onlyA, asStream(teamA));
    // A second stream of the key joins the group as it is: its own view is not asked for.
    const second = recordingStream();
    fanout.join('alice\n', () => expect.unreachable('the group has its view'), asStream(second));

    bus.publish(progress('a', '1'));
    bus.publish(progress('b', '2'));
    bus.publish(progress('a', '3'));
    await vi.advanceTimersByTimeAsync(50);

    expect(admin.batches.flatMap(ids)).toEqual(['1', '2', '3']);
    expect(teamA.batches.flatMap(ids)).toEqual(['1', '3']);
    expect(second.batches.flatMap(ids)).toEqual(['1', '3']);
    expect(fanout.groups).toBe(2);
  });

  it('stops listening to the bus once the last stream of a group has closed', async () => {
    const bus = createEventBus();
    let listening = 0;
    const counted = {
      subscribe(listener: (event: WheelhouseEvent) => void) {
        listening++;
        const off = bus.subscribe(listener);
        return () => {
          listening--;
          off();
        };
      },
    };
    const fanout = createEventFanout(counted, frameOf, 50);
    const one = recordingStream();
    const two = recordingStream();
    fanout.join('admin\n', () => (e) => e, asStream(one));
    fanout.join('admin\n', () => (e) => e, asStream(two));
    expect(listening).toBe(1);
    bus.publish(progress('a', '1'));
    bus.publish(progress('a', '2')); // pending when the streams close
    one.close();
    expect(listening).toBe(1);
    two.close();
    expect(listening).toBe(0);
    expect(fanout.groups).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(two.batches.map(ids)).toEqual([['1']]); // the pending batch was not written after close

    const three = recordingStream();
    fanout.join('admin\n', () => (e) => e, asStream(three));
    bus.publish(progress('a', '3'));
    expect(three.batches.map(ids)).toEqual([['3']]);
    // A stream closed before it joins is not added.
    const closed = recordingStream();
    closed.close();
    fanout.join('bob\n', () => (e) => e, asStream(closed));
    expect(fanout.groups).toBe(1);
  });
});
