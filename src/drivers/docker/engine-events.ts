import type Docker from 'dockerode';
import type { Logger } from '../../core/index.js';
import { errorMessage } from '../../core/index.js';
import { backoffDelay } from '../../util/index.js';

export interface EngineEvent {
  type: string;
  action: string;
  /** Container id, or the name of a volume/network. */
  id: string;
  attributes: Record<string, string>;
}

export interface EngineEventsOptions {
  docker: Docker;
  /** One stream per filter set (the engine ANDs different filter keys, so we cannot merge them). */
  filters: Record<string, string[]>[];
  onEvent(event: EngineEvent): void;
  /** Called after every (re)connect so the caller can resync what it may have missed. */
  onConnected(): Promise<void>;
  /** Called when a stream is lost (the cache may be stale until the next onConnected). */
  onLost(): void;
  log: Logger;
}

/**
 * Follows the engine's `/events` streams and reconnects with backoff when one ends or fails.
 */
export class EngineEvents {
  private streams: NodeJS.ReadableStream[] = [];
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: EngineEventsOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.closeStreams();
  }

  private closeStreams(): void {
    for (const stream of this.streams) {
      stream.removeAllListeners();
      stream.on('error', () => {});
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    }
    this.streams = [];
  }

  private async connect(): Promise<void> {
    this.closeStreams();
    const opened = await Promise.all(
      this.options.filters.map((filters) => this.options.docker.getEvents({ filters })),
    );
    if (this.stopped) {
      this.streams = opened;
      this.closeStreams();
      return;
    }
    this.streams = opened;
    for (const stream of opened) this.follow(stream);
    await this.options.onConnected();
    this.failures = 0;
  }

  private follow(stream: NodeJS.ReadableStream): void {
    let pending = '';
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) this.dispatch(line);
        newline = pending.indexOf('\n');
      }
    });
    const lost = (why: string) => {
      if (this.stopped || !this.streams.includes(stream)) return;
      this.options.log.warn({ reason: why }, 'docker event stream lost; reconnecting');
      this.options.onLost();
      this.scheduleReconnect();
    };
    stream.on('error', (err: unknown) => lost(errorMessage(err)));
    stream.on('end', () => lost('stream ended'));
  }

  private dispatch(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    if (raw === null || typeof raw !== 'object') return;
    const event = raw as {
      Type?: unknown;
      Action?: unknown;
      status?: unknown;
      id?: unknown;
      Actor?: unknown;
    };
    const actor = (event.Actor ?? {}) as { ID?: unknown; Attributes?: unknown };
    const attributes: Record<string, string> = {};
    if (actor.Attributes && typeof actor.Attributes === 'object') {
      for (const [k, v] of Object.entries(actor.Attributes)) if (typeof v === 'string') attributes[k] = v;
    }
    const action = String(event.Action ?? event.status ?? '');
    const id =
      typeof actor.ID === 'string' && actor.ID ? actor.ID : typeof event.id === 'string' ? event.id : '';
    try {
      this.options.onEvent({
        type: String(event.Type ?? 'container'),
        action,
        id: id || attributes.name || '',
        attributes,
      });
    } catch (err) {
      this.options.log.warn({ err: errorMessage(err) }, 'docker event handler failed');
    }
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    this.closeStreams();
    this.failures += 1;
    const delay = backoffDelay(this.failures + 1, { baseMs: 500, maxMs: 30_000, jitter: 0 });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((err: unknown) => {
        this.options.log.warn({ err: errorMessage(err) }, 'docker event stream reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
    this.retryTimer.unref();
  }
}
