import { setTimeout as sleep } from 'node:timers/promises';
import { SocketModeClient } from '@slack/socket-mode';
import { errorMessage, type Logger } from '../../../core/index.js';
import { backoffDelay } from '../../../util/index.js';
import type { SlackReceiver } from './receiver.js';
import { slackLogger } from './slack-logger.js';

export interface SocketModeOptions {
  appToken: string;
  apiUrl: string;
  receiver: SlackReceiver;
  log: Logger;
  /** Which variable holds the app token, for messages. */
  tokenEnv: string;
}

export interface SocketModeConnection {
  /** Connects in the background and keeps reconnecting until `stop()`. */
  start(): void;
  stop(): Promise<void>;
  /** Whether a connection is open right now. */
  connected(): boolean;
}

interface SocketEnvelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: unknown;
  retry_num?: number;
}

/**
 * Socket Mode: Wheelhouse opens the connection (`apps.connections.open`, then a WebSocket), so
 * nothing reaches in through a firewall. Each envelope is acknowledged at once; the payload goes
 * through the same receiver as HTTP mode. Reconnects (Slack recycles connections) are ours, with
 * backoff, so a failed reconnect never becomes an unhandled rejection.
 */
export function createSocketModeConnection(options: SocketModeOptions): SocketModeConnection {
  const log = options.log.child({ mode: 'socket' });
  const client = new SocketModeClient({
    appToken: options.appToken,
    logger: slackLogger(log),
    autoReconnectEnabled: false,
    clientPingTimeout: 15_000,
    serverPingTimeout: 60_000,
    clientOptions: {
      slackApiUrl: options.apiUrl,
      allowAbsoluteUrls: false,
      timeout: 15_000,
      retryConfig: { retries: 0 },
    },
  });
  let stopped = false;
  let open = false;
  let loop: Promise<void> | undefined;
  const abort = new AbortController();

  client.on('slack_event', (envelope: SocketEnvelope) => {
    envelope
      .ack()
      .catch((err: unknown) =>
        log.warn({ err: errorMessage(err) }, 'could not acknowledge a Slack envelope'),
      );
    switch (envelope.type) {
      case 'events_api':
        options.receiver.event(envelope.body, envelope.retry_num);
        break;
      case 'slash_commands':
        options.receiver.command(envelope.body);
        break;
      case 'interactive':
        options.receiver.interaction(envelope.body);
        break;
      default:
        log.debug({ type: envelope.type }, 'ignored a Socket Mode envelope type Wheelhouse does not use');
    }
  });

  /** Resolves when the connection closes; `cancel` drops the listener when the attempt failed. */
  const disconnected = () => {
    let listener = () => {};
    const closed = new Promise<void>((resolve) => {
      listener = () => resolve();
      client.once('disconnected', listener);
    });
    return { closed, cancel: () => client.removeListener('disconnected', listener) };
  };

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      const watch = disconnected();
      try {
        await client.start();
        if (stopped) {
          // stop() came while connecting: close what just opened.
          await client.disconnect();
          break;
        }
        open = true;
        failures = 0;
        log.info('connected to Slack over Socket Mode');
        await watch.closed;
        open = false;
        if (!stopped) log.info('the Socket Mode connection closed; reconnecting');
      } catch (err) {
        watch.cancel();
        open = false;
        failures++;
        log.error(
          { err: errorMessage(err), attempt: failures },
          `could not connect to Slack over Socket Mode — check the app-level token in ${options.tokenEnv} (scope connections:write) and that Socket Mode is on for the app`,
        );
      }
      if (stopped || failures === 0) continue;
      await sleep(backoffDelay(failures, { baseMs: 1_000, maxMs: 60_000 }), undefined, {
        signal: abort.signal,
      }).catch(() => undefined);
    }
  }

  return {
    start() {
      loop ??= run();
    },
    async stop() {
      stopped = true;
      abort.abort();
      await client.disconnect().catch(() => undefined);
      await loop;
    },
    connected: () => open,
  };
}
