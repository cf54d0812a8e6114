import { randomBytes } from 'node:crypto';
import {
  type ChatAdapter,
  type ChatHandler,
  type ChatMessage,
  errorMessage,
  type MessageRef,
} from '../../../core/index.js';
import { createInFlight } from '../../../util/index.js';
import type { ChatAdapterDeps } from '../deps.js';
import { type AccountTracker, createAccountTracker } from './accounts.js';
import { addressedCommand, commandWord } from './address.js';
import { createIrcConnection, type IrcConnection } from './connection.js';
import { formatLine, type IrcLine, isChannelName, nickOf } from './irc-line.js';
import { renderIrc } from './render.js';
import { type IrcConfig, parseIrcSettings } from './settings.js';
import { splitForIrc, textBudget } from './split.js';

export const IRC_PLATFORM = 'irc';

/** What the registry hands the adapter (see `src/chat/adapters/deps.ts`). */
export type IrcAdapterDeps = ChatAdapterDeps;

/** A command of the catalog, as far as IRC needs it: which ones only read. */
export interface IrcCommandInfo {
  name: string;
  kind: string;
  aliases?: readonly string[];
}

export interface IrcAdapter extends ChatAdapter {
  readonly config: IrcConfig;
  readonly connection: IrcConnection;
  /** Resolves once connected and registered (tests; `start` does not wait for the network). */
  ready(): Promise<void>;
  /** Resolves when every line queued so far went out. */
  drained(): Promise<void>;
}

/** IRCv3 capabilities that tell who is logged in to services. */
const ACCOUNT_CAPS = ['account-tag', 'extended-join', 'account-notify', 'message-tags', 'cap-notify'];

interface SentReply {
  channel: string;
  addressee?: string;
  last: string;
}

/**
 * IRC: a client that joins the configured channels and takes commands by prefix (`!wh status`),
 * by nick (`wheelhouse: status`) or in a private message. Replies are plain lines behind flood
 * control. The sender is `irc:<account>` when services vouch for them; a bare nick is a weak
 * identity, mapped to `irc:<nick>` only with `trustNicks: true` — otherwise the sender stays
 * unverified (`irc:~nick`, never a person) and may use read-only commands only.
 */
export function createIrcAdapter(deps: IrcAdapterDeps, commands: readonly IrcCommandInfo[]): IrcAdapter {
  const config = parseIrcSettings(deps.settings, deps.env);
  const log = deps.log;
  const readOnly = new Set(
    commands
      .filter((c) => c.kind === 'read')
      .flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => n.toLowerCase())),
  );
  const connection = createIrcConnection({
    host: config.host,
    port: config.port,
    tls: config.tls,
    tlsInsecure: config.tlsInsecure,
    nick: config.nick,
    username: config.username ?? (config.nick.replace(/[^A-Za-z0-9]/g, '').slice(0, 10) || 'wheelhouse'),
    realname: config.realname,
    ...(config.password ? { password: config.password } : {}),
    ...(config.sasl ? { sasl: config.sasl } : {}),
    caps: config.accountLookup === 'none' ? ['message-tags', 'cap-notify'] : ACCOUNT_CAPS,
    channels: config.channels,
    flood: config.flood,
    reconnect: config.reconnect,
    log,
  });
  const bootId = randomBytes(4).toString('hex');
  let seq = 0;
  const nextId = (kind: string) => `${kind}-${bootId}-${(++seq).toString(36)}`;
  /** Who asked in a thread (the incoming message id), to address replies to them. */
  const askers = new Map<string, string>();
  const replies = new Map<string, SentReply>();
  let handler: ChatHandler | undefined;
  let tracker: AccountTracker | undefined;
  let offLine: (() => void) | undefined;
  const inFlight = createInFlight();

  const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
    map.set(key, value);
    if (map.size > 5000) map.delete(map.keys().next().value as K);
  };

  function sendLines(target: string, lines: readonly string[]): void {
    const state = connection.state;
    if (isChannelName(target, state.chantypes)) {
      const configured = config.channels.find((c) => connection.lower(c.name) === connection.lower(target));
      connection.join(target, configured?.key);
    }
    const budget = textBudget({
      nick: state.nick,
      ...(state.user ? { user: state.user } : {}),
      ...(state.host ? { host: state.host } : {}),
      target,
    });
    for (const line of lines) {
      for (const piece of splitForIrc(line, budget)) connection.send(formatLine('PRIVMSG', [target, piece]));
    }
  }

  async function onPrivmsg(line: IrcLine): Promise<void> {
    const from = nickOf(line.prefix);
    const target = line.params[0];
    const text = line.params[1];
    if (!from || !target || text === undefined || !handler) return;
    const state = connection.state;
    if (connection.lower(from) === connection.lower(state.nick)) return;
    // CTCP (ACTION, VERSION, …) is not a command.
    if (text.startsWith('\u0001')) return;
    const direct = !isChannelName(target, state.chantypes);
    const command = addressedCommand(text, {
      nick: state.nick,
      prefix: config.prefix,
      direct,
      lower: connection.lower,
    });
    if (command === undefined) return;
    const channel = direct ? from : target;
    const account = tracker ? await tracker.accountOf(from, line.tags) : null;
    let user = account ?? (config.trustNicks ? from : undefined);
    const reqLog = log.child({ channel, nick: from });
    if (user === undefined) {
      const word = commandWord(command);
      if (!readOnly.has(word)) {
        reqLog.info({ command: word }, 'refused a command from an unverified IRC nick');
        sendLines(
          channel,
          renderIrc(
            {
              text: '',
              blocks: [
                {
                  type: 'text',
                  text: `🚫 \`${word}\` needs a verified identity, and ${from} is not logged in to services. Bare IRC nicks are weak identities (anyone can take a free nick), so unverified senders may only use read-only commands (${[...readOnly].filter((n) => commands.some((c) => c.name === n)).join(', ')}). Log in with services (NickServ), or use the built-in chat.`,
                },
              ],
              status: 'refused',
            },
            { prefix: config.prefix, maxLines: config.maxLines, addressee: from },
          ),
        );
        return;
      }
      // Never a person: `~` cannot occur in a nick or an account name.
      user = `~${from}`;
    }
    const ts = line.tags.msgid ?? nextId('m');
    remember(askers, ts, from);
    const h = handler;
    const work = h
      .onMessage({ platform: IRC_PLATFORM, channel, user, text: command, ts })
      .catch((err) => reqLog.error({ err: errorMessage(err) }, 'IRC command failed'));
    void inFlight.track(work);
  }

  function render(message: ChatMessage, addressee: string | undefined): string[] {
    return renderIrc(message, {
      prefix: config.prefix,
      maxLines: config.maxLines,
      ...(addressee ? { addressee } : {}),
    });
  }

  const adapter: IrcAdapter = {
    platform: IRC_PLATFORM,
    config,
    connection,
    async start(h) {
      handler = h;
      tracker = createAccountTracker(connection, {
        lookup: config.accountLookup,
        cacheMs: config.accountCacheMs,
      });
      offLine = connection.onLine((line) => {
        if (line.command === 'PRIVMSG') {
          void onPrivmsg(line).catch((err) =>
            log.warn({ err: errorMessage(err) }, 'could not handle an IRC message'),
          );
        }
      });
      connection.start();
    },
    async stop() {
      await inFlight.idle();
      await Promise.race([connection.drained(), new Promise((r) => setTimeout(r, 3000).unref())]);
      offLine?.();
      tracker?.stop();
      await connection.stop();
      handler = undefined;
    },
    async post(target, message): Promise<MessageRef> {
      const addressee = target.thread ? askers.get(target.thread) : undefined;
      const lines = render(message, addressee);
      sendLines(target.channel, lines);
      const id = nextId('r');
      remember(replies, id, {
        channel: target.channel,
        ...(addressee ? { addressee } : {}),
        last: lines.join('\n'),
      });
      return {
        platform: IRC_PLATFORM,
        channel: target.channel,
        ...(target.thread ? { thread: target.thread } : {}),
        id,
      };
    },
    async update(ref, message) {
      // IRC cannot edit a line: an update is a new line, sent only when it says something new.
      if (message.status === 'working' && !config.progress) return;
      const sent = replies.get(ref.id);
      const addressee = sent?.addressee ?? (ref.thread ? askers.get(ref.thread) : undefined);
      const lines = render(message, addressee);
      const text = lines.join('\n');
      if (sent?.last === text) return;
      remember(replies, ref.id, { channel: ref.channel, ...(addressee ? { addressee } : {}), last: text });
      sendLines(ref.channel, lines);
    },
    ready: () => connection.ready(),
    drained: () => connection.drained(),
  };
  return adapter;
}
