import { EventEmitter } from 'node:events';
import type { FastifyReply } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStreamRegistry, openSse, sseFrame } from '../../src/server/sse.js';

/** The part of a Node response an event stream uses, recording each write as it reaches the socket. */
function fakeResponse(unread = () => 0) {
  const raw = Object.assign(new EventEmitter(), {
    writes: [] as string[],
    writableEnded: false,
    destroyed: false,
    writeHead: () => raw,
    write(chunk: string | Buffer) {
      raw.writes.push(chunk.toString());
      return true;
    },
    end() {
      raw.writableEnded = true;
    },
    destroy() {
      raw.destroyed = true;
    },
  });
  // A getter (Object.assign would copy its value once): what the client has not read yet.
  Object.defineProperty(raw, 'writableLength', { get: unread });
  const reply = { hijack: () => {}, raw } as unknown as FastifyReply;
  return { reply, raw };
}

const frame = (id: number) => sseFrame({ id, event: 'sync.progress', data: { id } });

// The clock is vitest's fake one: the tests count socket writes, not time.
describe('openSse coalesces writes', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends events that come in a burst as one write, in order, and one after a quiet spell at once', async () => {
    const { reply, raw } = fakeResponse();
    const stream = openSse(reply, createStreamRegistry(), { heartbeatMs: 60_000, flushMs: 50 });
    expect(raw.writes).toHaveLength(1); // retry: and the connected comment
    for (let id = 1; id <= 10; id++) stream.sendFrame(frame(id));
    expect(raw.writes).toHaveLength(1); // was 11: one write per event
    await vi.advanceTimersByTimeAsync(50);
    expect(raw.writes).toHaveLength(2);
    expect(raw.writes[1]).toBe(Array.from({ length: 10 }, (_, i) => frame(i + 1).toString()).join(''));
    await vi.advanceTimersByTimeAsync(1_000);
    stream.sendFrame(frame(11));
    expect(raw.writes).toHaveLength(3); // nothing written for a while: out at once
    stream.close();
  });

  it('still sends what was queued when the stream is closed', () => {
    const { reply, raw } = fakeResponse();
    const stream = openSse(reply, createStreamRegistry(), { heartbeatMs: 60_000, flushMs: 50 });
    stream.sendFrame(frame(1));
    stream.close();
    expect(raw.writes.join('')).toContain(frame(1).toString());
    expect(raw.writableEnded).toBe(true);
  });

  it('drops a client that left too much unread, counting what waits to be written', () => {
    let unread = 0;
    const { reply, raw } = fakeResponse(() => unread);
    const stream = openSse(reply, createStreamRegistry(), {
      heartbeatMs: 60_000,
      flushMs: 50,
      maxBufferedBytes: 1_000,
    });
    unread = 900;
    expect(stream.sendFrame(frame(1))).toBe(true);
    expect(stream.sendFrame(Buffer.alloc(200, 'x'))).toBe(false);
    expect(raw.destroyed).toBe(true);
    expect(stream.closed).toBe(true);
  });
});
