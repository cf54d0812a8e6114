import WebSocket from 'ws';
import { errorMessage, type Logger } from '../../../core/index.js';
import { backoffDelay } from '../../../util/index.js';
import type { MattermostPost } from './api.js';

/**
 * The optional outbound WebSocket to Mattermost (`/api/v4/websocket`): authenticates with the bot
 * token, reconnects with backoff, and hands on every `posted` event (the post, the channel type,
 * who is mentioned). Nothing listens on Wheelhouse's side, so it works behind a firewall.
 */
export interface PostedEvent {
  post: MattermostPost;
  /** `O` public, `P` private, `D` direct, `G` group. */
  channelType: string;
  /** User ids the post mentions. */
  mentions: string[];
}

export interface MattermostSocket {
  start(): void;
  stop(): Promise<void>;
  /** Resolves once connected and authenticated (tests). */
  ready(): Promise<void>;
}

export function createMattermostSocket(options: {
  url: string;
  token: string;
  log: Logger;
  onPosted(event: PostedEvent): void;
  reconnect?: { baseMs: number; maxMs: number };
}): MattermostSocket {
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/api/v4/websocket`;
  let socket: WebSocket | undefined;
  let stopped = true;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  const waiters: (() => void)[] = [];
  let authenticated = false;

  function parsePosted(data: Record<string, unknown>): PostedEvent | undefined {
    try {
      const post = JSON.parse(String(data.post)) as MattermostPost;
      const mentions = typeof data.mentions === 'string' ? (JSON.parse(data.mentions) as string[]) : [];
      return {
        post,
        channelType: String(data.channel_type ?? ''),
        mentions: Array.isArray(mentions) ? mentions : [],
      };
    } catch {
      return undefined;
    }
  }

  function connect(): void {
    if (stopped) return;
    const ws = new WebSocket(wsUrl, {
      headers: { authorization: `Bearer ${options.token}` },
      handshakeTimeout: 10_000,
    });
    socket = ws;
    ws.on('open', () => {
      ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: options.token } }));
    });
    ws.on('message', (raw) => {
      let message: { event?: string; status?: string; seq_reply?: number; data?: Record<string, unknown> };
      try {
        message = JSON.parse(raw.toString());
      } catch {
        return;
      }
      if (message.event === 'hello' || (message.seq_reply === 1 && message.status === 'OK')) {
        if (!authenticated) {
          authenticated = true;
          attempt = 0;
          options.log.info({ url: wsUrl }, 'connected to the Mattermost WebSocket');
          for (const resolve of waiters.splice(0)) resolve();
        }
        return;
      }
      if (message.event === 'posted' && message.data) {
        const event = parsePosted(message.data);
        if (event) options.onPosted(event);
      }
    });
    ws.on('error', (err) => options.log.warn({ err: errorMessage(err) }, 'Mattermost WebSocket error'));
    ws.on('close', (code) => {
      if (socket !== ws) return;
      socket = undefined;
      authenticated = false;
      if (stopped) return;
      attempt += 1;
      const delay = backoffDelay(attempt, options.reconnect ?? { baseMs: 1000, maxMs: 60_000 });
      options.log.warn({ code, retryInMs: delay }, 'Mattermost WebSocket closed; reconnecting');
      timer = setTimeout(connect, delay);
    });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const ws = socket;
      socket = undefined;
      for (const resolve of waiters.splice(0)) resolve();
      if (!ws || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2000);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        ws.close(1000);
      });
    },
    ready() {
      if (authenticated) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
