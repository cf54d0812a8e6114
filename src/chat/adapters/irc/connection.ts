import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { errorMessage, type Logger } from '../../../core/index.js';
import { backoffDelay, createTokenBucket, type TokenBucket } from '../../../util/index.js';
import { handleHandshake } from './handshake.js';
import { type CaseMapping, formatLine, type IrcLine, ircLower, nickOf, parseLine } from './irc-line.js';
import type { LineContext } from './line-context.js';
import { handleMembership } from './membership.js';

/**
 * One client connection to an IRC server: registration (CAP negotiation with IRCv3 capabilities,
 * SASL PLAIN, PASS, NICK/USER), joining channels, PING/PONG, a send queue behind a token bucket
 * (flood control), and reconnecting with backoff when the connection drops.
 */
export interface IrcConnectionOptions {
  host: string;
  port: number;
  tls: boolean;
  tlsInsecure?: boolean;
  nick: string;
  username: string;
  realname: string;
  password?: string;
  sasl?: { account: string; password: string };
  /** IRCv3 capabilities to request when the server offers them. */
  caps: readonly string[];
  channels: readonly { name: string; key?: string }[];
  flood: { burst: number; intervalMs: number };
  reconnect: { baseMs: number; maxMs: number };
  log: Logger;
  /** Silence after which the server is pinged, and after twice which the link counts as dead. */
  pingIntervalMs?: number;
  /** Lines waiting at most; older ones are dropped (with a warning) when the link is down long. */
  maxQueue?: number;
}

export interface IrcConnectionState {
  nick: string;
  user?: string;
  host?: string;
  registered: boolean;
  caps: ReadonlySet<string>;
  caseMapping: CaseMapping;
  chantypes: string;
  /** Channels joined, by lower-cased name. */
  joined: ReadonlySet<string>;
}

export interface IrcConnection {
  readonly state: IrcConnectionState;
  start(): void;
  stop(reason?: string): Promise<void>;
  /** Queue a line behind flood control (sent once registered). */
  send(line: string): void;
  /** Join a channel now unless joined already. */
  join(channel: string, key?: string): void;
  /** Every line the server sends. */
  onLine(listener: (line: IrcLine) => void): () => void;
  /** Resolves once registered (now, or after the next successful connect). */
  ready(): Promise<void>;
  /** Resolves when the send queue is empty. */
  drained(): Promise<void>;
  lower(name: string): string;
}

export function createIrcConnection(options: IrcConnectionOptions): IrcConnection {
  const log = options.log;
  const pingInterval = options.pingIntervalMs ?? 90_000;
  const maxQueue = options.maxQueue ?? 2000;
  const listeners = new Set<(line: IrcLine) => void>();
  const queue: string[] = [];
  const joined = new Set<string>();
  /** Channels joined on demand (notification routes), joined again after a reconnect. */
  const extra = new Map<string, { name: string; key?: string }>();
  const caps = new Set<string>();
  const state: IrcConnectionState & { caps: Set<string>; joined: Set<string> } = {
    nick: options.nick,
    registered: false,
    caps,
    caseMapping: 'rfc1459',
    chantypes: '#&',
    joined,
  };
  let socket: Socket | undefined;
  let stopped = true;
  let attempt = 0;
  let bucket: TokenBucket = newBucket();
  let drainTimer: NodeJS.Timeout | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let lastHeard = Date.now();
  let pinged = false;
  let buffer = '';
  const session = { offered: new Set<string>(), nickAttempt: 0 };
  let readyWaiters: (() => void)[] = [];
  let drainWaiters: (() => void)[] = [];

  function newBucket(): TokenBucket {
    return createTokenBucket({ capacity: options.flood.burst, refillMs: options.flood.intervalMs });
  }

  const lower = (name: string) => ircLower(name, state.caseMapping);

  function write(line: string): void {
    if (!socket || socket.destroyed) return;
    socket.write(`${line}\r\n`);
  }

  function scheduleDrain(delay: number): void {
    if (drainTimer) return;
    drainTimer = setTimeout(() => {
      drainTimer = undefined;
      drain();
    }, delay);
  }

  function drain(): void {
    while (queue.length > 0 && state.registered && socket && !socket.destroyed) {
      const wait = bucket.take();
      if (wait > 0) {
        scheduleDrain(wait);
        return;
      }
      const line = queue.shift();
      if (line !== undefined) write(line);
    }
    if (queue.length === 0) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function emit(line: IrcLine): void {
    for (const listener of listeners) {
      try {
        listener(line);
      } catch (err) {
        log.warn({ err: errorMessage(err), command: line.command }, 'an IRC line handler failed');
      }
    }
  }

  function registered(line: IrcLine): void {
    state.registered = true;
    attempt = 0;
    state.nick = line.params[0] ?? state.nick;
    const mask = /(\S+)!(\S+)@(\S+)\s*$/.exec(line.params.at(-1) ?? '');
    if (mask?.[2] && mask[3] && mask[1] === state.nick) {
      state.user = mask[2];
      state.host = mask[3];
    }
    log.info({ nick: state.nick, host: options.host }, 'connected to IRC');
    for (const channel of [...options.channels, ...extra.values()]) {
      write(formatLine('JOIN', channel.key ? [channel.name, channel.key] : [channel.name]));
    }
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const resolve of waiters) resolve();
    drain();
  }

  const lineContext: LineContext = {
    options,
    state,
    session,
    log,
    write,
    lower,
    stopped: () => stopped,
  };

  function handle(line: IrcLine): void {
    lastHeard = Date.now();
    pinged = false;
    const from = nickOf(line.prefix);
    if (handleHandshake(lineContext, line) || handleMembership(lineContext, line, from)) {
      emit(line);
      return;
    }
    switch (line.command) {
      case 'PING':
        write(formatLine('PONG', line.params.length > 0 ? [line.params.at(-1) ?? ''] : []));
        break;
      case '001':
        registered(line);
        break;
      case '005':
        for (const token of line.params.slice(1, -1)) {
          const [key, value] = token.split('=');
          if (
            key === 'CASEMAPPING' &&
            (value === 'ascii' || value === 'rfc1459' || value === 'strict-rfc1459')
          )
            state.caseMapping = value;
          if (key === 'CHANTYPES' && value) state.chantypes = value;
        }
        break;
      case '396':
        // RPL_VISIBLEHOST: our host as others see it (cloaks).
        if (line.params[1]) state.host = line.params[1];
        break;
      case 'ERROR':
        log.warn({ reason: line.params[0] }, 'the IRC server closed the link');
        break;
    }
    emit(line);
  }

  function onData(chunk: Buffer): void {
    buffer += chunk.toString('utf8');
    let end = buffer.indexOf('\n');
    while (end !== -1) {
      const raw = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      const line = parseLine(raw);
      if (line) handle(line);
      end = buffer.indexOf('\n');
    }
    // A server never sends a line this long: drop it rather than grow without bound.
    if (buffer.length > 16_384) buffer = '';
  }

  function connect(): void {
    if (stopped) return;
    buffer = '';
    session.offered = new Set();
    caps.clear();
    joined.clear();
    state.registered = false;
    state.nick = options.nick;
    session.nickAttempt = 0;
    bucket = newBucket();
    lastHeard = Date.now();
    pinged = false;
    const sock = options.tls
      ? tlsConnect({
          host: options.host,
          port: options.port,
          servername: options.host,
          rejectUnauthorized: !options.tlsInsecure,
        })
      : netConnect({ host: options.host, port: options.port });
    socket = sock;
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 60_000);
    sock.on(options.tls ? 'secureConnect' : 'connect', () => {
      write('CAP LS 302');
      if (options.password) write(formatLine('PASS', [options.password]));
      write(formatLine('NICK', [options.nick]));
      write(formatLine('USER', [options.username, '0', '*', options.realname]));
    });
    sock.on('data', onData);
    sock.on('error', (err) =>
      log.warn({ err: errorMessage(err), host: options.host }, 'IRC connection error'),
    );
    sock.on('close', () => {
      if (socket !== sock) return;
      socket = undefined;
      state.registered = false;
      joined.clear();
      if (stopped) return;
      attempt += 1;
      const delay = backoffDelay(attempt, options.reconnect);
      log.warn(
        { host: options.host, port: options.port, retryInMs: delay },
        'IRC connection lost; reconnecting',
      );
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  function watchdog(): void {
    const silent = Date.now() - lastHeard;
    if (!socket || socket.destroyed) return;
    if (silent > pingInterval * 2) {
      log.warn({ host: options.host }, 'no answer from the IRC server; reconnecting');
      socket.destroy();
    } else if (silent > pingInterval && !pinged) {
      pinged = true;
      write(formatLine('PING', [`wh-${Date.now()}`]));
    }
  }

  return {
    state,
    start() {
      if (!stopped) return;
      stopped = false;
      idleTimer = setInterval(watchdog, Math.max(1000, Math.floor(pingInterval / 3)));
      idleTimer.unref();
      connect();
    },
    async stop(reason = 'Wheelhouse is stopping') {
      stopped = true;
      if (idleTimer) clearInterval(idleTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (drainTimer) clearTimeout(drainTimer);
      drainTimer = undefined;
      const sock = socket;
      socket = undefined;
      state.registered = false;
      for (const resolve of drainWaiters.splice(0)) resolve();
      if (!sock || sock.destroyed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          sock.destroy();
          resolve();
        }, 2000);
        sock.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        sock.end(`${formatLine('QUIT', [reason])}\r\n`);
      });
    },
    send(line) {
      queue.push(line);
      if (queue.length > maxQueue) {
        const dropped = queue.splice(0, queue.length - maxQueue).length;
        log.warn({ dropped }, 'IRC send queue is full (the link is down or slow); dropped the oldest lines');
      }
      drain();
    },
    join(channel, key) {
      if (joined.has(lower(channel))) return;
      if (!options.channels.some((c) => lower(c.name) === lower(channel))) {
        extra.set(lower(channel), { name: channel, ...(key ? { key } : {}) });
      }
      if (state.registered) write(formatLine('JOIN', key ? [channel, key] : [channel]));
    },
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready() {
      if (state.registered) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    drained() {
      if (queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    lower,
  };
}
