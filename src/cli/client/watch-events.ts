import type { WheelhouseEvent } from '../../core/index.js';
import { backoffDelay } from '../../util/backoff.js';
import type { ApiClient } from './api-client.js';

export interface EventWatch {
  /** Resolves once the stream is open (subscribe before starting what you watch). */
  ready: Promise<void>;
  /** Resolves when `onEvent` returned true, `stop()` was called, or the stream could not be resumed. */
  done: Promise<void>;
  stop(): void;
}

/**
 * Follows `GET /api/v1/events`, resuming with `Last-Event-ID` when the connection drops (a few
 * attempts with backoff). `onEvent` returns true to stop.
 */
export function watchEvents(
  api: ApiClient,
  path: string,
  onEvent: (event: WheelhouseEvent) => boolean,
  options: { retries?: number; backoffMs?: number } = {},
): EventWatch {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let markReady: () => void = () => {};
  let failReady: (err: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const retries = options.retries ?? 5;
  const backoffMs = options.backoffMs ?? 500;

  const run = async (): Promise<void> => {
    let attempt = 0;
    let opened = false;
    while (!controller.signal.aborted) {
      try {
        const stream = await api.stream(path, {
          signal: controller.signal,
          ...(lastEventId === undefined ? {} : { lastEventId }),
        });
        if (!opened) {
          opened = true;
          markReady();
        }
        attempt = 0;
        for await (const message of stream) {
          if (message.id !== undefined) lastEventId = message.id;
          if (message.event === 'resync' || message.event === 'message') continue;
          let event: WheelhouseEvent;
          try {
            event = JSON.parse(message.data) as WheelhouseEvent;
          } catch {
            continue;
          }
          if (onEvent(event)) return;
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        if (!opened) {
          failReady(err);
          return;
        }
      }
      if (++attempt > retries) return;
      const delay = backoffDelay(attempt, { baseMs: backoffMs, maxMs: Number.POSITIVE_INFINITY, jitter: 0 });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  const done = run().finally(() => {
    controller.abort();
    markReady();
  });
  return {
    ready,
    done,
    stop: () => controller.abort(),
  };
}
