import type { FastifyReply } from 'fastify';
import { SERVER_DEFAULTS } from '../config/index.js';

/** One open server-sent-events response. */
export interface SseStream {
  /** Writes one event; false once the stream is closed. */
  send(message: SseMessage): boolean;
  /** Writes a frame made once by `sseFrame` (the same bytes for every client of a fan-out). */
  sendFrame(frame: Buffer): boolean;
  /**
   * Writes a batch the caller already coalesced (a fan-out's, `createEventFanout`): behind what is
   * queued, and out at once rather than after `flushMs`.
   */
  sendBatch(batch: Buffer): boolean;
  /** A comment line (`: text`), ignored by clients; keeps proxies from timing the stream out. */
  comment(text: string): void;
  close(): void;
  readonly closed: boolean;
  /** Aborted when the stream closes (client went away, or the server is stopping). */
  readonly signal: AbortSignal;
}

export interface SseMessage {
  id?: number | string;
  event?: string;
  data: unknown;
}

/** One event as the bytes of the stream: `id:`, `event:` and `data:` (JSON) lines. */
export function sseFrame(message: SseMessage): Buffer {
  let text = '';
  if (message.id !== undefined) text += `id: ${message.id}\n`;
  if (message.event !== undefined) text += `event: ${message.event}\n`;
  text += `data: ${JSON.stringify(message.data)}\n\n`;
  return Buffer.from(text);
}

/** Every open stream, so a stopping server can end them instead of waiting for clients. */
export interface StreamRegistry {
  add(stream: SseStream): void;
  delete(stream: SseStream): void;
  closeAll(): void;
  readonly size: number;
}

export function createStreamRegistry(): StreamRegistry {
  const streams = new Set<SseStream>();
  return {
    add: (stream) => void streams.add(stream),
    delete: (stream) => void streams.delete(stream),
    closeAll() {
      for (const stream of [...streams]) stream.close();
    },
    get size() {
      return streams.size;
    },
  };
}

/**
 * Takes over the response and opens an event stream with periodic heartbeat comments. The stream
 * ends when the client disconnects, when `close()` is called, or when the client falls too far
 * behind (`maxBufferedBytes` unread, default SERVER_DEFAULTS.sseMaxBufferedBytes): such a slow
 * reader is dropped by destroying its connection, so what it left unread is freed at once instead
 * of waiting in the socket for a client that may never read it (it can resume).
 *
 * Writes are coalesced: what is sent within `flushMs` (default SERVER_DEFAULTS.sseFlushMs) of the
 * previous write goes out as one write when that time is up; a write after a quiet spell goes out
 * at once: a followed log that prints fast, or a replay after `Last-Event-ID`, is one socket write
 * per `flushMs` instead of one per line or event. (Live events come already batched, shared by
 * the streams that see them: `createEventFanout`, written with `sendBatch`.)
 */
export function openSse(
  reply: FastifyReply,
  registry: StreamRegistry,
  options: { heartbeatMs: number; retryMs?: number; maxBufferedBytes?: number; flushMs?: number },
): SseStream {
  const maxBuffered = options.maxBufferedBytes ?? SERVER_DEFAULTS.sseMaxBufferedBytes;
  const flushMs = options.flushMs ?? SERVER_DEFAULTS.sseFlushMs;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  const controller = new AbortController();
  let closed = false;
  let queued: Buffer[] = [];
  let queuedBytes = 0;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;
  const tooFarBehind = (): boolean => {
    if (queuedBytes + res.writableLength <= maxBuffered) return false;
    queued = [];
    stream.close();
    res.destroy();
    return true;
  };
  const flush = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (queued.length === 0 || res.writableEnded || res.destroyed) return;
    const chunk = queued.length === 1 ? (queued[0] as Buffer) : Buffer.concat(queued, queuedBytes);
    queued = [];
    queuedBytes = 0;
    lastWrite = performance.now();
    res.write(chunk);
    tooFarBehind();
  };
  const write = (data: string | Buffer, now = false): boolean => {
    if (closed) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    queued.push(bytes);
    queuedBytes += bytes.length;
    if (tooFarBehind()) return false;
    if (now) flush();
    else if (!flushTimer) {
      const wait = lastWrite + flushMs - performance.now();
      if (wait <= 0) flush();
      else {
        flushTimer = setTimeout(flush, wait);
        flushTimer.unref();
      }
    }
    return true;
  };
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();
  const stream: SseStream = {
    send(message) {
      return write(sseFrame(message));
    },
    sendFrame: (frame) => write(frame),
    sendBatch: (batch) => write(batch, true),
    comment(text) {
      write(`: ${text.replace(/\n/g, ' ')}\n\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      if (flushTimer) clearTimeout(flushTimer);
      // What was sent before close() still goes out, unless the client is gone or was dropped.
      if (queued.length > 0 && !res.destroyed && !res.writableEnded) res.write(Buffer.concat(queued));
      queued = [];
      clearInterval(heartbeat);
      registry.delete(stream);
      controller.abort();
      if (!res.writableEnded) res.end();
    },
    get closed() {
      return closed;
    },
    signal: controller.signal,
  };
  registry.add(stream);
  res.on('close', () => stream.close());
  res.on('error', () => stream.close());
  write(`retry: ${options.retryMs ?? 3000}\n: connected\n\n`);
  return stream;
}
